// Runs docs/api-walkthrough.sh (the README's curl tour) against the real server on a free port, so the
// documented flow cannot silently rot: two users, a group, an invite, suggestions, a tie and history.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../apps/server/src/test/processes.ts';

const ROOT = resolve(import.meta.dirname, '..');

let server: ChildProcess;
let base: string;
let dir: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  dir = mkdtempSync(join(tmpdir(), 'qc-walk-'));
  server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: base,
      DATA_DIR: dir,
      REGISTRATION: 'open',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
});

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/api-walkthrough.sh', () => {
  it('runs the whole documented flow with curl and ends with a tie and history', () => {
    const r = spawnSync('bash', [join(ROOT, 'docs/api-walkthrough.sh')], {
      env: { ...process.env, BASE: base },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/Expected \d+, got/);
    expect(r.status).toBe(0);
  });
});
