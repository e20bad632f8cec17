/**
 * Supply chain checks that run in `npm test` must actually catch what they claim to: the offline
 * dependency review fails on a lockfile with a known-vulnerable version, the secret scanner flags a
 * committed key, and ESLint's security rules flag dangerous code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qc-supply-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function exitOf(cmd: string, args: string[], cwd = ROOT) {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

function lockfileWith(packages: Record<string, string>): string {
  const file = join(dir, `lock-${Object.values(packages).join('-')}.json`);
  const entries = Object.fromEntries(Object.entries(packages).map(([name, version]) => [`node_modules/${name}`, { version }]));
  writeFileSync(file, JSON.stringify({ name: 'crafted', lockfileVersion: 3, packages: { '': { name: 'crafted' }, ...entries } }));
  return file;
}

describe('offline dependency review (scripts/check-dependencies.mjs)', () => {
  it('fails on a lockfile holding hono 4.11.3 (below the fixed 4.11.4) and names the advisory', async () => {
    const res = await exitOf('node', ['scripts/check-dependencies.mjs', lockfileWith({ hono: '4.11.3' })]);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/hono@4\.11\.3 is below 4\.11\.4/);
  });

  it('fails on a vulnerable nested copy too (node_modules/x/node_modules/ws)', async () => {
    const file = join(dir, 'nested.json');
    writeFileSync(
      file,
      JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/x/node_modules/ws': { version: '8.17.0' } } }),
    );
    const res = await exitOf('node', ['scripts/check-dependencies.mjs', file]);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/ws@8\.17\.0/);
  });

  it('passes the same lockfile with hono 4.11.4, and the repository lockfile', async () => {
    expect((await exitOf('node', ['scripts/check-dependencies.mjs', lockfileWith({ hono: '4.11.4' })])).code).toBe(0);
    expect((await exitOf('node', ['scripts/check-dependencies.mjs'])).code).toBe(0);
  });

  it('the installed hono is at or above the fixed version', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const [major, minor, patch] = lock.packages['node_modules/hono']!.version!.split('.').map(Number) as [number, number, number];
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(4 * 1e6 + 11 * 1e3 + 4);
  });
});

describe('secret scanning (secretlint, as npm test runs it)', () => {
  it('flags a private key committed by mistake', async () => {
    const leak = join(dir, 'leak.txt');
    // Assembled at run time so this test file itself does not trip the scanner.
    const begin = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ');
    const end = ['-----END', 'RSA PRIVATE KEY-----'].join(' ');
    const body =
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n';
    writeFileSync(leak, `${begin}\n${body}${end}\n`);
    const res = await exitOf(
      join(ROOT, 'node_modules/.bin/secretlint'),
      ['--secretlintrc', join(ROOT, '.secretlintrc.json'), '--maskSecrets', leak],
      dir,
    );
    expect(res.code).not.toBe(0);
    expect(res.out).toMatch(/PrivateKey|private key/i);
  });
});

describe('ESLint security rules', () => {
  it('are on for server code (npm test lints with --max-warnings 0, so a warning fails the build)', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const config = (await eslint.calculateConfigForFile(join(ROOT, 'apps/server/src/app.ts'))) as { rules: Record<string, unknown> };
    const level = (rule: string) => {
      const v = config.rules[rule];
      return Array.isArray(v) ? v[0] : v;
    };
    for (const rule of [
      'security/detect-eval-with-expression',
      'security/detect-non-literal-regexp',
      'security/detect-unsafe-regex',
      'security/detect-child-process',
      'security/detect-pseudoRandomBytes',
      '@typescript-eslint/no-floating-promises',
    ]) {
      expect([1, 2, 'warn', 'error']).toContain(level(rule));
    }
  });
});
