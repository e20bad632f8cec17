#!/usr/bin/env node
// `npm test`: every check and every test suite, then one line "N passed, N failed".
// Static checks (lint, types, secret scan, dependency review) each count as one test; vitest reports
// its own counts (server suites and the browser suite in Debian's Chromium).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures = [];

function run(name, cmd, args, opts = {}) {
  if (only.length && !only.includes(name)) return true;
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
  const ok = r.status === 0;
  if (!opts.counted) {
    if (ok) passed += 1;
    else {
      failed += 1;
      failures.push(name);
    }
  }
  return ok;
}

run('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']);
run('typecheck', 'npm', ['run', 'typecheck', '--silent']);
run('secrets', 'npx', ['secretlint', '--maskSecrets', '**/*']);
run('dependencies', 'node', ['scripts/check-dependencies.mjs']);

if (!only.length || only.includes('vitest')) {
  if (!only.length || only.includes('build')) run('build', 'npm', ['run', 'build', '--silent']);
  run('chromium', 'bash', ['scripts/ensure-chromium.sh'], { counted: true });
  run('redis', 'bash', ['scripts/ensure-redis.sh'], { counted: true });
  const outDir = join(root, 'test-results');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'vitest.json');
  rmSync(out, { force: true });
  const ok = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    counted: true,
  });
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    if (report.numFailedTests > 0) failures.push(`vitest (${report.numFailedTests})`);
    // A file that fails to load has no tests to count: count it, or other failures would hide it.
    const unloaded = report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0);
    for (const r of unloaded) {
      failed += 1;
      failures.push(`${r.name.replace(root, '')} (did not load)`);
    }
    if (!ok && report.numFailedTests === 0 && unloaded.length === 0) {
      failed += 1;
      failures.push('vitest (suite error)');
    }
  } else if (!ok) {
    failed += 1;
    failures.push('vitest (no report)');
  }
}

if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
