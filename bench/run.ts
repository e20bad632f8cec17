/**
 * `npm run bench`: QueueCrew's HTTP hot paths against a bare Hono hello-world measured in the same run,
 * on the same machine, with the same settings. Both servers run as child processes on 127.0.0.1; the
 * load generator (autocannon) runs here. Bounded: `--duration` seconds per case (default 5) with
 * `--connections` connections (default 10), plus a short warm-up; the whole run has a deadline.
 *
 * Options: --duration N, --connections N, --only <substring of a case name>, --profile (CPU profile of
 * the app server into bench/results/profiles/, open it in Chrome DevTools or speedscope).
 * Output: a table (req/s, p99, ratio to the baseline) and bench/results/latest.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../apps/server/src/test/processes.ts';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import './cases/index.ts';
import {
  appServerArgs,
  appServerEnv,
  ROOT,
  registeredCases,
  registerServerPid,
  runLoad,
  type AppFixture,
  type FigureResult,
  type LoadResult,
} from './registry.ts';

const RUN_DEADLINE_MS = 10 * 60_000;
const SUGGESTIONS = 50;
/** Members of the group, the owner included (the bench group has 50 suggestions and 16 members). */
const MEMBERS = 16;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const durationSec = Math.min(60, Math.max(1, Number(arg('duration', '5'))));
const connections = Math.min(SUGGESTIONS, Math.max(1, Number(arg('connections', '10'))));
const only = arg('only', '');
/** `--profile`: the app server writes a V8 CPU profile to bench/results/profiles/ when it stops. */
const profile = process.argv.includes('--profile');

const children: ChildProcess[] = [];
const cleanups: Array<() => void> = [];

function nodeChild(args: string[], env: Record<string, string | undefined>, stdout: 'pipe' | 'ignore'): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', stdout, 'inherit'],
  });
  children.push(child);
  return child;
}

async function startBaseline(): Promise<string> {
  const child = nodeChild(['--import', 'tsx', 'bench/baseline-server.ts'], {}, 'pipe');
  const port = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`baseline server exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port.trim()}`;
  if (child.pid !== undefined) registerServerPid(url, child.pid);
  return url;
}

async function startApp(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'qc-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Production mode and the compiled server, as operators run it (npm start).
  const profileArgs = profile ? ['--cpu-prof', '--cpu-prof-dir', join(ROOT, 'bench/results/profiles')] : [];
  const child = nodeChild(
    [...profileArgs, ...(await appServerArgs())],
    appServerEnv({ port, url, dataDir: dir }, { LOG_LEVEL: 'info' }),
    'ignore',
  );
  if (child.pid !== undefined) registerServerPid(url, child.pid);
  const exited = new Promise<never>((_, rej) => child.once('exit', (code) => rej(new Error(`QueueCrew exited (${code}) during start`))));
  const ready = (async () => {
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) return url;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('QueueCrew did not become ready within 30 s');
  })();
  return Promise.race([ready, exited]);
}

async function api<T>(
  url: string,
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> },
  status: number,
): Promise<{ body: T; res: Response }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { origin: url, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  if (res.status !== status) throw new Error(`${init.method ?? 'POST'} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return { body: (text ? JSON.parse(text) : undefined) as T, res };
}

async function register(url: string, name: string): Promise<Record<string, string>> {
  const { res } = await api(
    url,
    '/api/auth/register',
    { json: { email: `${name}@bench.test`, username: name, password: `bench ${randomBytes(12).toString('hex')}` } },
    201,
  );
  const access = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('qc_access=') || c.startsWith('__Host-qc_access='));
  if (!access) throw new Error('register did not set the access cookie');
  return { authorization: `Bearer ${access.slice(access.indexOf('=') + 1)}` };
}

/** A group of 16 members with 50 suggestions today; the 15 other members have voted on some of them. */
async function fixture(url: string): Promise<AppFixture> {
  const authHeaders = await register(url, 'bench_owner');
  const group = (
    await api<{ id: string }>(url, '/api/groups', { json: { name: 'Bench night', timezone: 'UTC' }, headers: authHeaders }, 201)
  ).body;
  const suggestionIds: string[] = [];
  for (let i = 0; i < SUGGESTIONS; i++) {
    const s = await api<{ id: string }>(
      url,
      `/api/groups/${group.id}/suggestions`,
      { json: { gameName: `Bench game ${i}` }, headers: authHeaders },
      201,
    );
    suggestionIds.push(s.body.id);
  }
  const invite = (await api<{ code: string }>(url, `/api/groups/${group.id}/invites`, { json: {}, headers: authHeaders }, 201)).body;
  for (let m = 0; m < MEMBERS - 1; m++) {
    const member = await register(url, `bench_member_${m}`);
    await api(url, `/api/invites/${invite.code}/accept`, { method: 'POST', headers: member }, 200);
    for (let i = m; i < SUGGESTIONS; i += 4)
      await api(url, `/api/suggestions/${suggestionIds[i]}/votes`, { method: 'POST', headers: member }, 201);
  }
  return { url, origin: url, authHeaders, groupId: group.id, suggestionIds };
}

const fmt = (n: number | string, w: number) => String(n).padStart(w);

/**
 * Baseline CPU per request ÷ the case's: the req/s ratio both servers would reach with the same CPU.
 * On a shared machine the req/s ratio also measures how much CPU each server happened to get.
 */
function cpuRatio(baseline: LoadResult, result: LoadResult): number | null {
  if (baseline.serverCpuUsPerReq === null || !result.serverCpuUsPerReq) return null;
  return Math.round((baseline.serverCpuUsPerReq / result.serverCpuUsPerReq) * 1000) / 1000;
}

async function main() {
  const settings = { durationSec, connections };
  const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
  console.log(
    `QueueCrew bench: ${durationSec} s per case, ${connections} connections, node ${process.version}, ${cpus().length} CPUs, load average ${loadAtStart.join(' ')}`,
  );
  const baselineUrl = await startBaseline();
  const appUrl = await startApp();
  const app = await fixture(appUrl);
  // Warm-up (JIT, caches, connection pools) for both servers; not measured.
  await runLoad(baselineUrl, { path: '/' }, { durationSec: 1, connections });
  await runLoad(app.url, { path: `/api/groups/${app.groupId}/results`, headers: app.authHeaders }, { durationSec: 1, connections });

  const baseline = await runLoad(baselineUrl, { path: '/' }, settings);
  const rows: Array<{
    name: string;
    description: string;
    goalRatio?: number;
    result: LoadResult | FigureResult;
    ratio?: number;
    cpuRatio?: number | null;
  }> = [];
  for (const c of registeredCases().filter((x) => x.name.includes(only))) {
    const result = await c.run({ app, ...settings, load: (o) => runLoad(o.baseUrl ?? app.url, o, settings) });
    const ratio = result.kind === 'load' ? Math.round((result.reqPerSec / baseline.reqPerSec) * 1000) / 1000 : undefined;
    rows.push({
      name: c.name,
      description: c.description,
      goalRatio: c.goalRatio,
      result,
      ratio,
      cpuRatio: result.kind === 'load' ? cpuRatio(baseline, result) : undefined,
    });
  }

  console.log('');
  console.log(
    `${'case'.padEnd(22)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'ratio'.padStart(6)} ${'cpu µs/req'.padStart(10)} ${'cpu ratio'.padStart(9)}  non-2xx  load  goal`,
  );
  const cpuCell = (r: LoadResult) => fmt(r.serverCpuUsPerReq ?? '-', 10);
  console.log(
    `${'baseline (hono hello)'.padEnd(22)} ${fmt(baseline.reqPerSec, 8)} ${fmt(baseline.p50Ms, 7)} ${fmt(baseline.p99Ms, 7)} ${fmt(1, 6)} ${cpuCell(baseline)} ${fmt(1, 9)}  ${fmt(baseline.non2xx + baseline.errors, 7)} ${fmt(baseline.loadAvg1, 5)}`,
  );
  for (const r of rows) {
    if (r.result.kind === 'load') {
      const goal = r.goalRatio === undefined ? '' : `${r.ratio! >= r.goalRatio ? 'met' : 'NOT met'} (≥ ${r.goalRatio * 100} %)`;
      console.log(
        `${r.name.padEnd(22)} ${fmt(r.result.reqPerSec, 8)} ${fmt(r.result.p50Ms, 7)} ${fmt(r.result.p99Ms, 7)} ${fmt(r.ratio!, 6)} ${cpuCell(r.result)} ${fmt(r.cpuRatio ?? '-', 9)}  ${fmt(r.result.non2xx + r.result.errors, 7)} ${fmt(r.result.loadAvg1, 5)}  ${goal}`,
      );
    } else {
      console.log(
        `${r.name}: ${Object.entries(r.result.figures)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
      );
    }
  }
  const failedBaseline = baseline.non2xx + baseline.errors > 0;
  const failed = rows.filter((r) => r.result.kind === 'load' && r.result.non2xx + r.result.errors > 0);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const out = {
    generatedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    settings,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((n) => Math.round(n * 100) / 100),
    baseline: { name: 'baseline (hono hello-world)', ...baseline },
    cases: rows.map((r) => ({
      name: r.name,
      description: r.description,
      goalRatio: r.goalRatio,
      ratio: r.ratio,
      cpuRatio: r.cpuRatio,
      ...r.result,
    })),
  };
  writeFileSync(join(ROOT, 'bench/results/latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote bench/results/latest.json`);
  if (failed.length > 0 || failedBaseline) {
    const names = [...(failedBaseline ? ['baseline'] : []), ...failed.map((r) => r.name)];
    console.error(`errors or non-2xx answers in: ${names.join(', ')} — the figures above are not valid`);
    process.exitCode = 1;
  }
}

function shutdown() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  for (const f of cleanups) f();
}

const deadline = setTimeout(() => {
  console.error('bench: run deadline exceeded');
  shutdown();
  process.exit(1);
}, RUN_DEADLINE_MS);
deadline.unref();

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    shutdown();
    // Give the servers a moment to exit on SIGTERM before this process ends.
    setTimeout(() => process.exit(), 500).unref();
  });
