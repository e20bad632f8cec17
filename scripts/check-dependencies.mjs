#!/usr/bin/env node
// Offline dependency review: fails when package-lock.json holds a package below a known-fixed version,
// or a dependency is not pinned exactly. The advisory list lives in scripts/known-vulnerable.json
// (`npm audit` is not reachable from every machine, so this check must not depend on it).
// Usage: node scripts/check-dependencies.mjs [path/to/package-lock.json]   (default: the repository's)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lockPath = process.argv[2] ? resolve(process.argv[2]) : `${root}package-lock.json`;
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const advisories = JSON.parse(readFileSync(`${root}scripts/known-vulnerable.json`, 'utf8')).advisories;

const cmp = (a, b) => {
  const pa = a.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};

const problems = [];
for (const [path, info] of Object.entries(lock.packages ?? {})) {
  if (!path.includes('node_modules/') || !info.version) continue;
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  for (const adv of advisories) {
    if (adv.package !== name) continue;
    if (cmp(info.version, adv.fixedIn) < 0 && (!adv.introducedIn || cmp(info.version, adv.introducedIn) >= 0)) {
      problems.push(`${name}@${info.version} is below ${adv.fixedIn}: ${adv.id} ${adv.summary}`);
    }
  }
}
for (const file of ['package.json', 'apps/server/package.json', 'apps/web/package.json', 'packages/shared/package.json']) {
  const pkg = JSON.parse(readFileSync(`${root}${file}`, 'utf8'));
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (!/^\d+\.\d+\.\d+$/.test(range.split('-')[0]) && !range.startsWith('file:') && range !== '*') {
        problems.push(`${file}: ${name}@${range} is not pinned to an exact version`);
      }
    }
  }
}
if (problems.length) {
  console.error(`Dependency review failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `Dependency review: ${Object.keys(lock.packages).length} locked packages checked against ${advisories.length} advisories, all pinned.`,
);
