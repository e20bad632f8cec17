/**
 * A real app over a real, encrypted libSQL file in a temp directory. No mocks of our own code.
 * `request()` goes through app.request(); `startTestServer()` listens on a real port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import { loadConfig } from '../env.ts';
import { createLogger } from '../lib/logger.ts';
import { createServices, type Services } from '../services.ts';

export const TEST_ORIGIN = 'http://localhost:3000';

export function testEnv(dir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    APP_URL: TEST_ORIGIN,
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_ENCRYPTION_KEY: 'test-db-key-0123456789abcdefghijklmnopqrstuvwxyz',
    SESSION_SECRET: 'test-session-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    FIELD_ENCRYPTION_KEY: 'test-field-key-0123456789abcdefghijklmnopqrstuvwxyz',
    BACKUP_KEY: 'test-backup-key-0123456789abcdefghijklmnopqrstuvwxyz',
    LOG_LEVEL: 'info',
    REGISTRATION: 'open',
    RATE_LIMITS: 'off',
    ...extra,
  };
}

/** Collects log lines in memory so tests can assert on what was (not) logged. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.lines.push(chunk.toString('utf8'));
    cb();
  }
  get text() {
    return this.lines.join('');
  }
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: Services;
  dir: string;
  logs: LogCapture;
  /** app.request with JSON helpers; sets Origin for unsafe methods like a browser would. */
  request(path: string, init?: RequestInit & { json?: unknown; cookie?: string; bearer?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestApp(extraEnv: Record<string, string | undefined> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'qc-test-'));
  const config = loadConfig(testEnv(dir, extraEnv));
  const logs = new LogCapture();
  const logger = createLogger(config.logLevel, logs);
  const database = await openDatabase(config, logger);
  const services = createServices(config, database, logger);
  const app = createApp(services);
  return {
    app,
    services,
    dir,
    logs,
    async request(path, init = {}) {
      const { json, cookie, bearer, ...rest } = init;
      const headers = new Headers(rest.headers);
      const method = (rest.method ?? (json !== undefined ? 'POST' : 'GET')).toUpperCase();
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
      }
      if (!['GET', 'HEAD'].includes(method) && !headers.has('origin')) headers.set('origin', TEST_ORIGIN);
      if (cookie) headers.set('cookie', cookie);
      if (bearer) headers.set('authorization', `Bearer ${bearer}`);
      return app.request(`http://localhost:3000${path}`, {
        ...rest,
        method,
        headers,
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      });
    },
    async close() {
      // A Redis-backed limiter (REDIS_URL) holds a connection that would keep the worker alive.
      await services.rateLimiter.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
