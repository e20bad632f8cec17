/**
 * Fan-out of one vote to 1,000 subscribed sockets.
 *
 * - QueueCrew: the real server as `npm start` runs it (compiled, plain Node, production mode) in a child
 *   process on 127.0.0.1, in-process hub. 50 users × 20 sockets (the per-user cap) = 1,000 sockets subscribed to one
 *   group. Each round the owner approves/withdraws a vote over HTTP; latency = from sending that request
 *   to each socket receiving `vote_updated` (so it includes the HTTP request, the database write and the
 *   tally query, then the fan-out).
 * - Baseline, same run, same machine: a bare `ws` server in a child process with 1,000 sockets; a
 *   trigger socket sends the very same message text and the server broadcasts it; latency = from
 *   sending the trigger to each socket receiving it.
 * - Memory: the QueueCrew server's RSS (from /proc) idle, and with the 1,000 sockets open and subscribed.
 *
 * Bounded: fixed rounds, a deadline per round and for the whole run; only 127.0.0.1.
 * Run: `node --import tsx bench/ws-fanout.ts` (add `--json` for machine-readable output).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../apps/server/src/test/processes.ts';
import { appServerArgs, appServerEnv } from './registry.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';

const ROOT = resolve(import.meta.dirname, '..');
const SOCKETS = 1000;
const USERS = 50;
const ROUNDS = 30;
const WARMUP = 3;
const ROUND_DEADLINE_MS = 15_000;
const RUN_DEADLINE_MS = 240_000;
const PASSWORD = 'bench horse battery staple 42';

// ---------------------------------------------------------------------------------------------------
// Baseline server mode: `ws-fanout.ts --raw-server` prints its port, then broadcasts every trigger.
if (process.argv.includes('--raw-server')) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('listening', () => process.stdout.write(`${(wss.address() as { port: number }).port}\n`));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const text = data.toString();
      for (const client of wss.clients) if (client !== ws && client.readyState === WebSocket.OPEN) client.send(text);
    });
  });
  process.on('SIGTERM', () => process.exit(0));
} else {
  const deadline = setTimeout(() => {
    console.error('ws-fanout: run deadline exceeded');
    process.exit(1);
  }, RUN_DEADLINE_MS);
  deadline.unref();
  main()
    .then(() => process.exit(0))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}

// ---------------------------------------------------------------------------------------------------

export interface FanoutResult {
  sockets: number;
  rounds: number;
  queuecrew: { p50Ms: number; p99Ms: number; maxMs: number };
  rawWs: { p50Ms: number; p99Ms: number; maxMs: number };
  p99Ratio: number;
  p50Ratio: number;
  rssIdleMiB: number;
  rssWithSocketsMiB: number;
  rssPerSocketKiB: number;
  messageBytes: number;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function percentile(sorted: number[], p: number): number {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50Ms: r(percentile(s, 50)), p99Ms: r(percentile(s, 99)), maxMs: r(s[s.length - 1]!) };
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function cookieOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((l) => l.split(';')[0])
    .join('; ');
}

async function json<T>(res: Response, status: number, what: string): Promise<T> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Opens `count` sockets in batches (bounded concurrency keeps the accept queue from overflowing). */
async function openSockets(count: number, make: (i: number) => WebSocket): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) => make(i + j));
    await Promise.all(
      batch.map(
        (ws) =>
          new Promise<void>((res, rej) => {
            ws.once('open', () => res());
            ws.once('error', rej);
          }),
      ),
    );
    out.push(...batch);
  }
  return out;
}

/**
 * One side of the comparison: `trigger()` starts a round, every socket must receive one message matching
 * `isRound`; latency samples are kept after the warm-up rounds.
 */
class FanoutCase {
  readonly samples: number[] = [];
  #start = 0;
  #pending = 0;
  #round = 0;
  #done: (() => void) | undefined;

  constructor(
    readonly sockets: WebSocket[],
    readonly isRound: (text: string) => boolean,
    readonly trigger: () => Promise<void>,
  ) {
    for (const ws of sockets) ws.on('message', this.#onMessage);
  }

  #onMessage = (data: Buffer) => {
    if (!this.isRound(data.toString())) return;
    if (this.#round > WARMUP) this.samples.push(performance.now() - this.#start);
    this.#pending -= 1;
    if (this.#pending === 0) this.#done?.();
  };

  async round(): Promise<void> {
    this.#round += 1;
    this.#pending = this.sockets.length;
    let timer: NodeJS.Timeout | undefined;
    const all = new Promise<void>((res, rej) => {
      this.#done = res;
      timer = setTimeout(
        () => rej(new Error(`round ${this.#round}: ${this.#pending} sockets did not receive the message`)),
        ROUND_DEADLINE_MS,
      );
    });
    this.#start = performance.now();
    await this.trigger();
    await all;
    clearTimeout(timer);
  }
}

async function main(): Promise<FanoutResult> {
  const dir = mkdtempSync(join(tmpdir(), 'qc-bench-ws-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  const sockets: WebSocket[] = [];
  try {
    // As operators run it (npm start): the compiled server, production mode, its own secrets.
    const server = spawn(process.execPath, await appServerArgs(), {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...appServerEnv({ port, url: origin, dataDir: dir }, { LOG_LEVEL: 'warn', REDIS_URL: '' }) },
    });
    children.push(server);
    await waitFor(async () => (await fetch(`${origin}/healthz`)).ok, 'the QueueCrew server');
    const api = (path: string, init: RequestInit & { cookie?: string; body?: string } = {}) =>
      fetch(`${origin}${path}`, {
        ...init,
        headers: { origin, 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) },
      });

    // Users, one group, everyone a member.
    const users: string[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const res = await api('/api/auth/register', {
        method: 'POST',
        body: JSON.stringify({ email: `bench${i}@example.test`, username: `bench_${i}`, password: PASSWORD }),
      });
      await json(res, 201, 'register');
      users.push(cookieOf(res));
    }
    const ownerCookie = users[0]!;
    const group = await json<{ id: string }>(
      await api('/api/groups', { method: 'POST', cookie: ownerCookie, body: JSON.stringify({ name: 'Bench crew' }) }),
      201,
      'create group',
    );
    const invite = await json<{ code: string }>(
      await api(`/api/groups/${group.id}/invites`, { method: 'POST', cookie: ownerCookie, body: JSON.stringify({ maxUses: 100 }) }),
      201,
      'invite',
    );
    for (const cookie of users.slice(1))
      await json(await api(`/api/invites/${invite.code}/accept`, { method: 'POST', cookie }), 200, 'accept');
    const suggestion = await json<{ id: string }>(
      await api(`/api/groups/${group.id}/suggestions`, {
        method: 'POST',
        cookie: ownerCookie,
        body: JSON.stringify({ gameName: 'Bench Game' }),
      }),
      201,
      'suggest',
    );

    const rssIdleMiB = rssMiB(server.pid!);
    const wsUrl = `ws://127.0.0.1:${port}/api/ws`;
    const perUser = SOCKETS / USERS;
    sockets.push(
      ...(await openSockets(SOCKETS, (i) => new WebSocket(wsUrl, { origin, headers: { cookie: users[Math.floor(i / perUser)]! } }))),
    );
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((res, rej) => {
            ws.once('message', (d) => (JSON.parse(d.toString()).type === 'subscribed' ? res() : rej(new Error(d.toString()))));
            ws.send(JSON.stringify({ type: 'subscribe', groupId: group.id }));
          }),
      ),
    );
    const rssWithSocketsMiB = rssMiB(server.pid!);

    // Baseline: a bare ws server in its own process, started now so both sides run side by side and
    // rounds alternate (noise from other processes on the machine hits both alike).
    const raw = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ws-fanout.ts'), '--raw-server'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(raw);
    const rawPort = await new Promise<number>((res, rej) => {
      raw.stdout!.once('data', (d: Buffer) => res(Number(d.toString().trim())));
      raw.once('exit', () => rej(new Error('raw ws server exited')));
    });
    const rawUrl = `ws://127.0.0.1:${rawPort}`;
    const rawSockets = await openSockets(SOCKETS, () => new WebSocket(rawUrl));
    sockets.push(...rawSockets);
    const [trigger] = await openSockets(1, () => new WebSocket(rawUrl));
    sockets.push(trigger!);

    // A suggestion is its suggester's approval: the first round withdraws it.
    let voted = true;
    let sample = '';
    const ours = new FanoutCase(
      sockets.slice(0, SOCKETS),
      (text) => {
        if (!text.includes('"vote_updated"')) return false;
        sample ||= text;
        return true;
      },
      async () => {
        const res = await api(`/api/suggestions/${suggestion.id}/votes`, { method: voted ? 'DELETE' : 'POST', cookie: ownerCookie });
        if (res.status !== (voted ? 204 : 201)) throw new Error(`vote: ${res.status} ${await res.text()}`);
        voted = !voted;
      },
    );
    // The very same message text QueueCrew delivered in the previous round.
    const baseline = new FanoutCase(
      rawSockets,
      (text) => text === sample,
      async () => {
        trigger!.send(sample);
      },
    );
    for (let i = 0; i < ROUNDS + WARMUP; i += 1) {
      await ours.round();
      await baseline.round();
    }

    const q = summary(ours.samples);
    const r = summary(baseline.samples);
    const result: FanoutResult = {
      sockets: SOCKETS,
      rounds: ROUNDS,
      queuecrew: q,
      rawWs: r,
      p99Ratio: Math.round((q.p99Ms / r.p99Ms) * 100) / 100,
      p50Ratio: Math.round((q.p50Ms / r.p50Ms) * 100) / 100,
      rssIdleMiB: Math.round(rssIdleMiB * 10) / 10,
      rssWithSocketsMiB: Math.round(rssWithSocketsMiB * 10) / 10,
      rssPerSocketKiB: Math.round(((rssWithSocketsMiB - rssIdleMiB) * 1024 * 10) / SOCKETS) / 10,
      messageBytes: Buffer.byteLength(sample),
    };
    if (process.argv.includes('--json')) console.log(JSON.stringify(result));
    else {
      console.log(
        `ws-fanout: one vote to ${SOCKETS} subscribed sockets, ${ROUNDS} rounds (+${WARMUP} warm-up), ${result.messageBytes}-byte message`,
      );
      console.log(`  QueueCrew (HTTP vote → delivery): p50 ${q.p50Ms} ms, p99 ${q.p99Ms} ms, max ${q.maxMs} ms`);
      console.log(`  raw ws broadcast (trigger → delivery): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms`);
      console.log(`  ratio p99 QueueCrew / raw: ${result.p99Ratio} (p50: ${result.p50Ratio})`);
      console.log(
        `  server RSS: ${result.rssIdleMiB} MiB idle → ${result.rssWithSocketsMiB} MiB with ${SOCKETS} sockets (≈${result.rssPerSocketKiB} KiB/socket)`,
      );
    }
    return result;
  } finally {
    for (const ws of sockets) ws.terminate();
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export { main as runWsFanout };
