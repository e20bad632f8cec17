#!/usr/bin/env node
// Compiles the server (apps/server/src/index.ts and everything it imports from this repository) into
// one ES module, apps/server/build/index.mjs, so `npm start` runs it on plain Node: no TypeScript loader
// in the process (tsx's loader thread, its transform cache and source maps cost ≈ 35–40 MB of RSS,
// docs/decisions/119-fixed-per-request-cost.md). npm packages stay external (loaded from node_modules
// as usual). `import.meta.url` and `import.meta.dirname` are replaced by each source file's own
// location, so paths the code resolves relative to its file (migrations, docs, the web build, the API
// reference worker) are the same as when it runs from source.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const server = join(root, 'apps/server');
export const SERVER_BUILD = join(server, 'build/index.mjs');

/**
 * How the built server is run (scripts/start.mjs, and the bench, which measures it as operators run it):
 * stack traces point at the TypeScript sources; the young generation is capped at 4 MiB per semi-space
 * (V8 lets it grow to 16 MiB on 64-bit, ≈ 24 MiB of RSS more under load for no measured CPU gain on
 * this server: bench `healthz GET` 96–98 µs per request either way, decision 119).
 */
export const SERVER_NODE_ARGS = ['--enable-source-maps', '--max-semi-space-size=4', SERVER_BUILD];

const pkg = JSON.parse(await readFile(join(server, 'package.json'), 'utf8'));
const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });

/** Each file's own import.meta.url/dirname, as it would see them running from source. */
const ownLocation = {
  name: 'own-location',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?tsx?$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

export async function buildServer() {
  await build({
    entryPoints: [join(server, 'src/index.ts')],
    outfile: SERVER_BUILD,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [ownLocation],
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildServer();
