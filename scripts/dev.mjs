#!/usr/bin/env node
// `npm run dev`: the fake Discord (unless real Discord credentials are set), the fake Steam (unless
// STEAM_WEB_API_KEY is set), the API server with `tsx watch` (restarts on change) and the Vite dev server
// for apps/web, which proxies /api to the API. Open the URL Vite prints (http://localhost:5173). Ctrl-C
// stops them all.
//
// Ports: API 3000 (PORT), web 5173 (WEB_PORT), fake Discord 4010 (FAKE_DISCORD_PORT), fake Steam 4020
// (FAKE_STEAM_PORT).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

const apiPort = process.env.PORT ?? '3000';
const webPort = process.env.WEB_PORT ?? '5173';
const fakePort = process.env.FAKE_DISCORD_PORT ?? '4010';
const fakeUrl = `http://127.0.0.1:${fakePort}`;
// These match the defaults of scripts/fake-discord/server.ts; they are not secrets (dev only).
const FAKE_CLIENT_ID = 'queuecrew-dev-client';
const FAKE_CLIENT_SECRET = 'fake-discord-dev-client-secret';

const useFake = !process.env.DISCORD_CLIENT_ID;
const steamPort = process.env.FAKE_STEAM_PORT ?? '4020';
const steamUrl = `http://127.0.0.1:${steamPort}`;
// Matches the default of scripts/fake-steam/server.ts; not a secret (dev only).
const FAKE_STEAM_API_KEY = 'fake-steam-web-api-key';
const useFakeSteam = !process.env.STEAM_WEB_API_KEY;
const children = [];

function run(name, command, args, env = {}) {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line) out.write(`[${name}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[dev] ${name} exited (${signal ?? code}); stopping the others.`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => stop(0));

const apiEnv = {
  PORT: apiPort,
  // Vite and the API must agree on what "localhost" is (IPv4 or IPv6), so the API listens on it too.
  HOST: process.env.HOST ?? 'localhost',
  // The browser talks to Vite, which proxies /api: cookies, Origin checks and the OAuth redirect URL
  // all use Vite's origin.
  APP_URL: process.env.APP_URL ?? `http://localhost:${webPort}`,
};

if (useFake) {
  run('fake-discord', tsx, ['scripts/fake-discord/server.ts'], {
    FAKE_DISCORD_PORT: fakePort,
    FAKE_DISCORD_CLIENT_ID: FAKE_CLIENT_ID,
    FAKE_DISCORD_CLIENT_SECRET: FAKE_CLIENT_SECRET,
  });
  Object.assign(apiEnv, {
    DISCORD_CLIENT_ID: FAKE_CLIENT_ID,
    DISCORD_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    DISCORD_API_URL: `${fakeUrl}/api`,
    DISCORD_AUTHORIZE_URL: `${fakeUrl}/oauth2/authorize`,
    DISCORD_WEBHOOK_BASE_URL: fakeUrl,
  });
  console.log(`[dev] Discord sign-in uses the fake provider at ${fakeUrl} (set DISCORD_CLIENT_ID/SECRET for real Discord).`);
  console.log(`[dev] Group webhooks may point at ${fakeUrl}/api/webhooks/<digits>/<token>; see ${fakeUrl}/_test/webhooks.`);
}

if (useFakeSteam) {
  run('fake-steam', tsx, ['scripts/fake-steam/server.ts'], { FAKE_STEAM_PORT: steamPort, FAKE_STEAM_API_KEY: FAKE_STEAM_API_KEY });
  Object.assign(apiEnv, {
    STEAM_WEB_API_KEY: FAKE_STEAM_API_KEY,
    STEAM_OPENID_URL: `${steamUrl}/openid/login`,
    STEAM_API_URL: steamUrl,
  });
  console.log(`[dev] Steam linking and import use the fake Steam at ${steamUrl} (set STEAM_WEB_API_KEY for real Steam).`);
}

run('api', tsx, ['watch', '--clear-screen=false', 'apps/server/src/index.ts'], apiEnv);
run('web', 'npm', ['run', 'dev', '-w', '@queuecrew/web', '--', '--port', webPort, '--strictPort']);
