/**
 * Test helpers for live updates: real server instances on real ports (startServer), a fetch-based
 * `request()` shaped like TestApp's so the user/group factories work against them, and a WebSocket
 * client wrapper that waits for messages by content (never by time).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, type ClientOptions } from 'ws';
import { loadConfig } from '../env.ts';
import { startServer, type RunningServer } from '../server.ts';
import { LogCapture, TEST_ORIGIN, testEnv } from './create-test-app.ts';
import type { WebhookWorkerOptions } from '../features/announcements/index.ts';
import type { NightCloserOptions } from '../features/nights/index.ts';
import type { RealtimeOptions } from '../features/realtime/index.ts';

export interface Instance {
  running: RunningServer;
  url: string;
  wsUrl: string;
  logs: LogCapture;
  dir: string;
  request(path: string, init?: RequestInit & { json?: unknown; cookie?: string; bearer?: string }): Promise<Response>;
  stop(): Promise<void>;
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'qc-live-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a real server over the database in `dir` (two instances given the same dir share one file). */
export async function startInstance(
  dir: string,
  options: {
    env?: Record<string, string | undefined>;
    realtime?: Partial<RealtimeOptions>;
    /** Loops of the instance (see startServer): shorter ticks for tests that wait on them. */
    nights?: Partial<NightCloserOptions> | false;
    webhooks?: Partial<WebhookWorkerOptions> | false;
  } = {},
): Promise<Instance> {
  const logs = new LogCapture();
  const config = loadConfig(testEnv(dir, options.env));
  const running = await startServer({
    config,
    logDestination: logs,
    realtime: options.realtime,
    ...(options.nights !== undefined ? { nights: options.nights } : {}),
    ...(options.webhooks !== undefined ? { webhooks: options.webhooks } : {}),
  });
  const url = running.url;
  return {
    running,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/api/ws`,
    logs,
    dir,
    async request(path, init = {}) {
      const { json, cookie, bearer, ...rest } = init;
      const headers = new Headers(rest.headers);
      const method = (rest.method ?? (json !== undefined ? 'POST' : 'GET')).toUpperCase();
      if (json !== undefined) headers.set('content-type', 'application/json');
      if (!['GET', 'HEAD'].includes(method) && !headers.has('origin')) headers.set('origin', TEST_ORIGIN);
      if (cookie) headers.set('cookie', cookie);
      if (bearer) headers.set('authorization', `Bearer ${bearer}`);
      return fetch(`${url}${path}`, { ...rest, method, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    stop: () => running.stop(),
  };
}

export interface LiveMessage {
  type: string;
  groupId?: string;
  code?: string;
  data?: unknown;
  [key: string]: unknown;
}

/** A connected test client: every received message is kept; `next()` waits for one matching a predicate. */
export class TestSocket {
  readonly received: LiveMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #cursor = 0;
  #waiters: { match: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void; reject: (e: Error) => void }[] = [];
  #isClosed = false;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as LiveMessage;
      this.received.push(message);
      this.#flush();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#isClosed = true;
        for (const w of this.#waiters) w.reject(new Error(`socket closed (${code}) before the expected message`));
        this.#waiters = [];
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('error', () => undefined);
  }

  #flush() {
    for (const w of [...this.#waiters]) {
      const idx = this.received.findIndex((m, i) => i >= this.#cursor && w.match(m));
      if (idx === -1) continue;
      this.#cursor = idx + 1;
      this.#waiters.splice(this.#waiters.indexOf(w), 1);
      w.resolve(this.received[idx]!);
    }
  }

  /** The next message (after the previous match) satisfying `match`; rejects if the socket closes first. */
  next(match: (m: LiveMessage) => boolean = () => true): Promise<LiveMessage> {
    return new Promise((resolve, reject) => {
      if (this.#isClosed) {
        const idx = this.received.findIndex((m, i) => i >= this.#cursor && match(m));
        if (idx === -1) return reject(new Error('socket is closed'));
      }
      this.#waiters.push({ match, resolve, reject });
      this.#flush();
    });
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async subscribe(groupId: string): Promise<LiveMessage> {
    this.send({ type: 'subscribe', groupId });
    return this.next((m) => m.groupId === groupId && (m.type === 'subscribed' || m.type === 'error'));
  }

  /**
   * A barrier: everything the server wrote to this socket before it handled this message has arrived
   * once the reply is here (one socket is one ordered stream).
   */
  async sync(): Promise<void> {
    const marker = `sync${Math.random().toString(36).slice(2, 10)}`;
    this.send({ type: 'unsubscribe', groupId: marker });
    await this.next((m) => m.type === 'unsubscribed' && m.groupId === marker);
  }

  close() {
    this.ws.close();
  }
}

export interface ConnectOptions {
  cookie?: string;
  origin?: string | null;
  protocols?: string[];
  headers?: Record<string, string>;
  ws?: ClientOptions;
}

function clientFor(url: string, options: ConnectOptions): WebSocket {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
  return new WebSocket(url, options.protocols ?? [], { headers, ...(origin ? { origin } : {}), ...options.ws });
}

/** Opens a socket and waits until it is open; rejects with the HTTP status when the upgrade is refused. */
export function connect(url: string, options: ConnectOptions = {}): Promise<TestSocket> {
  const ws = clientFor(url, options);
  const socket = new TestSocket(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('unexpected-response', (_req, res) => {
      reject(new RefusedError(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

export class RefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** The HTTP status of a refused upgrade (throws if a socket was opened instead). */
export async function refusedStatus(url: string, options: ConnectOptions = {}): Promise<number> {
  try {
    const s = await connect(url, options);
    s.close();
  } catch (e) {
    if (e instanceof RefusedError) return e.status;
    throw e;
  }
  throw new Error('the upgrade was accepted');
}
