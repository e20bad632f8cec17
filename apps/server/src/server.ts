/**
 * Starts QueueCrew: config → logger → database (migrated) → services → app → HTTP server, and stops it
 * gracefully (stop accepting, finish in-flight requests, close the database). Used by index.ts and by
 * tests that need a real port.
 */
import { serve, type ServerType } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app.ts';
import { openDatabase, type Database } from './db/client.ts';
import { loadConfig, type Config } from './env.ts';
import { createLogger } from './lib/logger.ts';
import { createServices, type Services } from './services.ts';
import { promoteConfiguredAdmins } from './features/admin/index.ts';
import { createMetrics } from './lib/metrics.ts';
import { holdDatabase, startScheduledJobs } from './features/ops/index.ts';
import { WebhookWorker, type WebhookWorkerOptions } from './features/announcements/index.ts';
import { Realtime, type RealtimeOptions } from './features/realtime/index.ts';
import { RedisHub } from './lib/redis-hub.ts';
import { PushWorker, type PushWorkerOptions } from './features/push/index.ts';
import { backfillNights, NightCloser, type NightCloserOptions } from './features/nights/index.ts';

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  server: ServerType;
  /** Posts queued Discord announcements (started with the server, stopped before the database closes). */
  webhookWorker: WebhookWorker;
  /** Queues and delivers Web Push messages (started with the server, stopped before the database closes). */
  pushWorker: PushWorker;
  /** Closes game nights at their deadline and sends reminders (started with the server). */
  nightCloser: NightCloser;
  /** The plain-http server that redirects to https (only with HTTP_REDIRECT_PORT). */
  redirectServer?: HttpServer;
  stop(): Promise<void>;
}

export async function startServer(
  options: {
    env?: Record<string, string | undefined>;
    config?: Config;
    logDestination?: DestinationStream;
    /** Discord webhook delivery loop options; false leaves the loop stopped (tests drive runOnce()). */
    webhooks?: Partial<WebhookWorkerOptions> | false;
    /** Web Push loop options; false leaves the loop stopped (tests drive runOnce()). */
    push?: Partial<PushWorkerOptions> | false;
    /** Live-update limits and intervals (tests shorten the heartbeat and sweep). */
    realtime?: Partial<RealtimeOptions>;
    /** Game-night closer options (tests shorten the tick); false leaves it stopped (tests drive runOnce()). */
    nights?: Partial<NightCloserOptions> | false;
  } = {},
): Promise<RunningServer> {
  const config = options.config ?? loadConfig(options.env);
  const logger: Logger = createLogger(config.logLevel, options.logDestination);
  for (const w of config.warnings) logger.warn(w);
  const database: Database = await openDatabase(config, logger);
  // With REDIS_URL every instance shares live events through Redis; otherwise they stay in this process.
  const hub = config.redisUrl ? await RedisHub.connect(config.redisUrl, logger) : undefined;
  // Process metrics (CPU, memory, event-loop lag) are collected for a real server only, not per test app.
  const services = createServices(config, database, logger, { metrics: createMetrics({ defaultMetrics: true }), ...(hub ? { hub } : {}) });
  // ADMIN_EMAILS also promotes accounts that registered before the email was added to the list.
  const promoted = await promoteConfiguredAdmins(database, config.adminEmails, config.session.secret);
  if (promoted.length > 0) logger.warn({ userIds: promoted }, 'instance admins added from ADMIN_EMAILS');
  // Days that have suggestions but no game night yet (still open under the old rule) get one (idempotent).
  const backfilled = await backfillNights(database, services.clock.now());
  if (backfilled > 0) logger.info({ nights: backfilled }, 'game nights created for days with suggestions');
  const realtime = new Realtime(services, options.realtime);
  const app = createApp(services, { realtime });
  // Retention daily; backups and restore drills when BACKUP_CRON / RESTORE_DRILL_CRON are set. Started
  // before listening, so a bad cron pattern stops the start with a clear message.
  const stopJobs = startScheduledJobs(services);
  // `npm run restore` refuses to swap the database while this marker names a live process.
  const releaseDatabase = holdDatabase(config);

  // With TLS_CERT_FILE/TLS_KEY_FILE QueueCrew speaks https itself, TLS 1.3 only (older versions have
  // weaker cipher suites and no downgrade protection worth trusting); otherwise a reverse proxy does TLS.
  const tls = config.tls ? readTlsFiles(config.tls) : undefined;
  if (tls && !config.isHttps) logger.warn('TLS is on but APP_URL is not https: cookies will not be Secure and HSTS is off.');
  const server = await new Promise<ServerType>((resolveServer) => {
    const s = tls
      ? serve(
          {
            fetch: app.fetch,
            port: config.port,
            hostname: config.host,
            createServer: createHttpsServer,
            serverOptions: { ...tls, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
          },
          () => resolveServer(s),
        )
      : serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s));
  });
  realtime.attach(server);
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ port, url: config.appUrl, tls: Boolean(tls) }, `QueueCrew is listening: open ${config.appUrl}`);
  const appUrl = new URL(config.appUrl);
  const appPort = Number(appUrl.port || (appUrl.protocol === 'https:' ? 443 : 80));
  if (config.env !== 'test' && ['localhost', '127.0.0.1', '[::1]'].includes(appUrl.hostname) && appPort !== port) {
    // A loopback APP_URL on another port cannot be right (no proxy in between): every form would be refused.
    logger.warn(
      { port, appUrl: config.appUrl, setting: 'APP_URL' },
      `APP_URL is ${config.appUrl} but the server listens on port ${port}: set APP_URL to ${appUrl.protocol}//${appUrl.hostname}:${port} (or leave it unset in development)`,
    );
  }
  const redirectServer = config.httpRedirectPort ? await startRedirectServer(config, config.httpRedirectPort) : undefined;
  const webhookWorker = new WebhookWorker(services, options.webhooks || {});
  if (options.webhooks !== false) webhookWorker.start();
  const pushWorker = new PushWorker(services, options.push || {});
  if (options.push !== false) pushWorker.start();
  // Every instance runs a closer; the closing transaction makes sure each night closes once.
  const nightCloser = new NightCloser(services, options.nights || {});
  if (options.nights !== false) nightCloser.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight requests');
      stopJobs();
      await nightCloser.stop();
      // Upgraded sockets are not "in flight" for server.close(): close them (1001) so clients reconnect elsewhere.
      await realtime.close();
      await new Promise<void>((res) => {
        server.close(() => res());
        // Idle keep-alive connections would hold close() open; in-flight requests still finish.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await new Promise<void>((res) => (redirectServer ? redirectServer.close(() => res()) : res()));
      await services.hub.close();
      await services.rateLimiter.close();
      // The delivery loop finishes its current pass (rows it could not finish stay queued).
      await webhookWorker.stop();
      await pushWorker.stop();
      database.close();
      releaseDatabase();
      logger.info('stopped');
    })());
  return { url, port, services, server, webhookWorker, pushWorker, nightCloser, redirectServer, stop };
}

function readTlsFiles(files: { certFile: string; keyFile: string }): { cert: Buffer; key: Buffer } {
  const read = (name: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (e) {
      throw new Error(`Cannot read ${name} (${path}): ${(e as Error).message}. Check the path and the file permissions.`);
    }
  };
  return { cert: read('TLS_CERT_FILE', files.certFile), key: read('TLS_KEY_FILE', files.keyFile) };
}

/**
 * Plain http on HTTP_REDIRECT_PORT answers every request with 301 to the same path on APP_URL. The
 * target is built from APP_URL, never from the Host header, so it cannot be turned into an open redirect.
 */
function startRedirectServer(config: Config, port: number): Promise<HttpServer> {
  const server = createHttpServer((req, res) => {
    const path = req.url?.startsWith('/') && !req.url.startsWith('//') ? req.url : '/';
    res.writeHead(301, { Location: `${config.appOrigin}${path}`, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end('QueueCrew is served over https.\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, config.host, () => resolve(server));
  });
}
