/**
 * The benchmark registry: a case is a name, a description and a `run(ctx)`. A case either drives HTTP
 * load with `ctx.load()` and returns its `LoadResult` (the runner prints req/s, p99 and the ratio to
 * the baseline measured in the same run), or measures something else and returns `{ figures }`
 * (numbers or short strings, printed and stored as they are: e.g. a WebSocket fan-out p99 ratio or a
 * bundle size). Register cases in bench/cases/index.ts; see bench/README.md.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon, { type Request } from 'autocannon';
import { generateVapidKeys } from '../apps/server/src/env.ts';

export const ROOT = resolve(import.meta.dirname, '..');

/**
 * The app server as operators run it (`npm start`, scripts/start.mjs): compiled by
 * scripts/build-server.mjs (built again at every bench start), on plain Node. Returns the node arguments.
 */
let built: Promise<string[]> | undefined;
export function appServerArgs(): Promise<string[]> {
  return (built ??= import(join(ROOT, 'scripts/build-server.mjs')).then(
    async (m: { buildServer: () => Promise<void>; SERVER_NODE_ARGS: string[] }) => {
      await m.buildServer();
      return m.SERVER_NODE_ARGS;
    },
  ));
}

/**
 * The environment of a benchmarked app server: production mode with fresh secrets and VAPID keys,
 * open registration, rate limits off (the cases would measure the limiter's 429s). `extra` adds or
 * overrides variables (log level, Redis).
 */
export function appServerEnv(options: { port: number; url: string; dataDir: string }, extra: Record<string, string> = {}) {
  const secret = () => randomBytes(32).toString('base64url');
  const vapid = generateVapidKeys();
  return {
    NODE_ENV: 'production',
    PORT: String(options.port),
    HOST: '127.0.0.1',
    APP_URL: options.url,
    DATA_DIR: options.dataDir,
    DATABASE_ENCRYPTION_KEY: secret(),
    SESSION_SECRET: secret(),
    FIELD_ENCRYPTION_KEY: secret(),
    BACKUP_KEY: secret(),
    METRICS_TOKEN: secret(),
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    VAPID_SUBJECT: 'mailto:bench@queuecrew.test',
    REGISTRATION: 'open',
    RATE_LIMITS: 'off',
    ...extra,
  };
}

export interface LoadOptions {
  /** Path on the app server, e.g. `/api/groups/<id>/results`. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Per-connection request cycles (e.g. POST then DELETE on a suggestion of its own). */
  perConnection?: (connectionIndex: number) => Request[];
  /** Target base URL; defaults to the app server. */
  baseUrl?: string;
}

export interface LoadResult {
  kind: 'load';
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  /**
   * CPU time the server process used per answered request (user + system, all threads), in µs; null
   * where /proc is not available. Unlike req/s it does not depend on how much CPU other processes on
   * a shared machine left over, so it is the figure to compare across runs.
   */
  serverCpuUsPerReq: number | null;
  /** 1-minute load average when the case ended: how busy the machine was. */
  loadAvg1: number;
}

export interface FigureResult {
  kind: 'figures';
  figures: Record<string, number | string>;
}

/** The app server under test and a signed-in user with a group of 50 suggestions. */
export interface AppFixture {
  url: string;
  origin: string;
  /** `Authorization: Bearer …` for the owner (also a member who votes). */
  authHeaders: Record<string, string>;
  groupId: string;
  suggestionIds: string[];
}

export interface BenchContext {
  app: AppFixture;
  durationSec: number;
  connections: number;
  /** Runs a bounded autocannon load (127.0.0.1 only) with the run's duration and connections. */
  load(options: LoadOptions): Promise<LoadResult>;
}

export interface BenchCase {
  name: string;
  description: string;
  /** Goal as a fraction of the baseline's req/s (printed as met / not met). */
  goalRatio?: number;
  run(ctx: BenchContext): Promise<LoadResult | FigureResult>;
}

const cases: BenchCase[] = [];

export function registerCase(c: BenchCase): void {
  if (cases.some((x) => x.name === c.name)) throw new Error(`bench case "${c.name}" is registered twice`);
  cases.push(c);
}

export function registeredCases(): readonly BenchCase[] {
  return cases;
}

/** Server processes by base URL (registered by the runner), for CPU accounting. */
const serverPids = new Map<string, number>();

export function registerServerPid(baseUrl: string, pid: number): void {
  serverPids.set(new URL(baseUrl).origin, pid);
}

/**
 * Starts a helper server script (`node --import tsx <script>`, e.g. bench/ceiling-server.ts) that
 * prints its port on its first stdout line; registers its pid for CPU accounting. `stop()` ends it
 * (and it is ended when this process exits).
 */
export async function startScriptServer(script: string, env: Record<string, string>): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  const port = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout! }).once('line', res);
    child.once('exit', (code) => rej(new Error(`${script} exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port.trim()}`;
  if (child.pid !== undefined) registerServerPid(url, child.pid);
  return { url, stop };
}

/** utime + stime of a process in clock ticks (Linux /proc; fields 14 and 15 after the command name). */
function cpuTicks(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux ABI Node supports. */
const TICKS_PER_SEC = 100;

export async function runLoad(
  url: string,
  options: Omit<LoadOptions, 'baseUrl'>,
  settings: { durationSec: number; connections: number },
): Promise<LoadResult> {
  const target = new URL(options.path, url);
  if (target.hostname !== '127.0.0.1') throw new Error(`benchmarks load 127.0.0.1 only, not ${target.hostname}`);
  const pid = serverPids.get(target.origin);
  const ticksBefore = cpuTicks(pid);
  let next = 0;
  const result = await autocannon({
    url: target.toString(),
    connections: settings.connections,
    duration: settings.durationSec,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    setupClient: options.perConnection
      ? (client) => {
          const requests = options.perConnection!(next++);
          client.setRequests(requests.map((r) => ({ ...r, headers: { ...options.headers, ...r.headers } })));
        }
      : undefined,
  });
  const ticksAfter = cpuTicks(pid);
  const answered = result.requests.total;
  const serverCpuUsPerReq =
    ticksBefore !== null && ticksAfter !== null && answered > 0
      ? Math.round(((ticksAfter - ticksBefore) / TICKS_PER_SEC / answered) * 1e6)
      : null;
  return {
    kind: 'load',
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    serverCpuUsPerReq,
    loadAvg1: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/**
 * A case implemented as a separate script (e.g. bench/ws-fanout.ts): runs
 * `node --import tsx <script> --json`, bounded by `timeoutMs`, and returns the last JSON line of its
 * stdout as figures (nested objects are flattened to `a.b` keys).
 */
export function scriptFigures(script: string, timeoutMs: number, args: string[] = ['--json']): Promise<FigureResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      try {
        resolveResult({ kind: 'figures', figures: flatten(JSON.parse(last) as Record<string, unknown>) });
      } catch {
        reject(new Error(`${script} did not print JSON on its last line`));
      }
    });
  });
}

function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = typeof v === 'number' ? v : String(v);
  }
  return out;
}
