/**
 * Everything a request needs besides its own input, built once per process and handed to the app.
 * Tests build a real one over a temp libSQL file (see test/create-test-app.ts).
 */
import type { Logger } from 'pino';
import type { Services } from './lib/context.ts';
import type { Config } from './env.ts';
import type { Database } from './db/client.ts';
import { FieldCipher } from './lib/crypto.ts';
import { TokenService } from './lib/tokens.ts';
import { InMemoryHub } from './lib/hub.ts';
import { createMetrics } from './lib/metrics.ts';
import { Redis } from 'ioredis';
import { MemoryRateLimitStore, RateLimiter, RedisRateLimitStore, type RateLimitStore } from './lib/rate-limit.ts';
import { systemClock } from './lib/clock.ts';
import { ReadCaches } from './lib/read-caches.ts';

/** The interface lives beside AppEnv (lib/context.ts), so that lib/ never imports this entry module. */
export type { Services };

function createRateLimitStore(config: Config, logger: Logger): RateLimitStore {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  // Fail fast instead of queueing for ever when Redis is down: the limiter then lets requests through
  // and logs (docs/decisions/031), rather than hanging every sign-in.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 1000 });
  // One log line per outage, not one per reconnect attempt.
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) logger.error({ err: err.message, alert: 'rate_limit_store_unavailable' }, 'Redis for rate limits is unreachable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis for rate limits is reachable again');
    down = false;
  });
  return new RedisRateLimitStore(redis);
}

export function createServices(
  config: Config,
  database: Database,
  logger: Logger,
  extra: Partial<Pick<Services, 'hub' | 'metrics' | 'clock' | 'rateLimiter'>> = {},
): Services {
  const metrics = extra.metrics ?? createMetrics();
  // Failed write transactions show up as queuecrew_db_errors_total{kind}: busy is the one to alert on.
  database.onError = (kind) => metrics.dbErrors.inc({ kind });
  const services: Services = {
    hub: extra.hub ?? new InMemoryHub(),
    metrics,
    rateLimiter: extra.rateLimiter ?? new RateLimiter(createRateLimitStore(config, logger), config.rateLimits, metrics, logger),
    clock: extra.clock ?? systemClock,
    config,
    database,
    logger,
    fieldCipher: new FieldCipher(config.fieldEncryption.key, config.fieldEncryption.previousKeys),
    tokens: new TokenService(config.session.secret, config.session.previousSecrets, config.appUrl, config.session.accessTtlSeconds),
    // The caches read `services.database` when they look, so a swapped database is the one checked.
    caches: new ReadCaches(() => services.database),
  };
  database.onCommit = () => services.caches.feed.markDirty();
  return services;
}
