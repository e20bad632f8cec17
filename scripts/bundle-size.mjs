#!/usr/bin/env node
// First-load JavaScript of the built web app (apps/web/dist), gzipped, from Vite's manifest: the entry
// chunk with its static imports, plus each screen's lazy chunk with its own static imports (what a
// visitor who opens that URL first downloads). Budget: 150 KB gzip for the heaviest first load.
// Usage: node scripts/bundle-size.mjs [--json]   (run `npm run build` first)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 150;
const dist = new URL('../apps/web/dist/', import.meta.url).pathname;
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error('apps/web/dist/.vite/manifest.json is missing: run `npm run build` first.');
  process.exit(1);
}
/** @type {Record<string, {file: string, src?: string, isEntry?: boolean, isDynamicEntry?: boolean, imports?: string[], css?: string[]}>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

/** Every file reached from these manifest keys through static imports. */
function closure(keys) {
  const seen = new Set();
  const files = new Set();
  const walk = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const item = manifest[key];
    if (!item) return;
    files.add(item.file);
    for (const k of item.imports ?? []) walk(k);
  };
  keys.forEach(walk);
  return files;
}
const kb = (bytes) => Math.round((bytes / 1024) * 10) / 10;
const sum = (files) => [...files].filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0);

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
if (!entryKey) {
  console.error('No entry chunk in the manifest.');
  process.exit(1);
}
const entryFiles = closure([entryKey]);
const entryGz = sum(entryFiles);
const screens = Object.keys(manifest)
  .filter((k) => manifest[k].isDynamicEntry && manifest[k].src?.startsWith('src/routes/'))
  .map((k) => {
    const files = closure([entryKey, k]);
    return { screen: manifest[k].src.replace('src/routes/', '').replace(/\.tsx$/, ''), kb: kb(sum(files)) };
  })
  .sort((a, b) => b.kb - a.kb);
const heaviest = screens[0] ?? { screen: 'entry', kb: kb(entryGz) };
const landing = screens.find((s) => s.screen === 'landing');
const result = {
  entryKbGzip: kb(entryGz),
  landingFirstLoadKbGzip: landing?.kb ?? kb(entryGz),
  heaviestFirstLoadKbGzip: heaviest.kb,
  heaviestScreen: heaviest.screen,
  budgetKbGzip: BUDGET_KB,
  withinBudget: heaviest.kb <= BUDGET_KB ? 'yes' : 'no',
};

if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`Entry (shell, router, query, React): ${result.entryKbGzip} KB gzip`);
  for (const s of screens) console.log(`  first load on ${s.screen.padEnd(14)} ${String(s.kb).padStart(6)} KB gzip`);
  console.log(
    `Heaviest first load: ${heaviest.kb} KB gzip (${heaviest.screen}); budget ${BUDGET_KB} KB → ${result.withinBudget === 'yes' ? 'within' : 'OVER'} budget`,
  );
}
process.exit(heaviest.kb <= BUDGET_KB ? 0 : 1);
