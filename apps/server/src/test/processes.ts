/**
 * Real neighbours for tests: a free loopback port, and a real redis-server on one (no Redis mocks).
 * `bash scripts/ensure-redis.sh` installs redis-server when it is missing (npm test runs it first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  port: number;
  url: string;
  stop(): void;
}

/** Starts `redis-server` on a free port without persistence and waits (bounded) until it answers PING. */
export async function startRedisServer(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: run `bash scripts/ensure-redis.sh` (npm test does it).');
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const stop = () => {
    proc.kill('SIGTERM');
  };
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until the server is up: retried below
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return { port, url, stop };
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  stop();
  throw new Error(`redis-server did not start at ${url}`);
}
