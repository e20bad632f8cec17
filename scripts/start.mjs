#!/usr/bin/env node
// `npm start`: builds the web app when its build is missing or older than its sources, then starts the
// server (API + WebSocket + web app) with the embedded, encrypted database. Every env var of
// apps/server/src/env.ts is honoured, so several instances can run side by side.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'apps/web');

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const distIndex = join(web, 'dist/index.html');
if (!process.env.WEB_DIST_DIR && (!existsSync(distIndex) || newest(join(web, 'src')) > statSync(distIndex).mtimeMs)) {
  console.log('Building the web app…');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The server runs compiled (scripts/build-server.mjs): plain Node, no TypeScript loader in the process.
const serverBuild = join(root, 'apps/server/build/index.mjs');
const serverSources = [join(root, 'apps/server/src'), join(root, 'packages/shared/src')];
const builtAt = existsSync(serverBuild) ? statSync(serverBuild).mtimeMs : 0;
const { buildServer, SERVER_NODE_ARGS } = await import('./build-server.mjs');
if (serverSources.some((dir) => newest(dir) > builtAt) || statSync(join(root, 'apps/server/package.json')).mtimeMs > builtAt) {
  console.log('Building the server…');
  await buildServer();
}

const child = spawn(process.execPath, SERVER_NODE_ARGS, { cwd: root, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
