/**
 * Starts QueueCrew: config → logger → database (migrated) → services → app → HTTP server, and stops it
 * gracefully (stop accepting, finish in-flight requests, close the database). Used by index.ts and by
 * tests that need a real port.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app.ts';
import { openDatabase, type Database } from './db/client.ts';
import { loadConfig, type Config } from './env.ts';
import { createLogger } from './lib/logger.ts';
import { createServices, type Services } from './services.ts';

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  server: ServerType;
  stop(): Promise<void>;
}

export async function startServer(
  options: { env?: Record<string, string | undefined>; config?: Config; logDestination?: DestinationStream } = {},
): Promise<RunningServer> {
  const config = options.config ?? loadConfig(options.env);
  const logger: Logger = createLogger(config.logLevel, options.logDestination);
  for (const w of config.warnings) logger.warn(w);
  const database: Database = await openDatabase(config, logger);
  const services = createServices(config, database, logger);
  const app = createApp(services);

  const server = await new Promise<ServerType>((resolveServer) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ port, url: config.appUrl }, 'QueueCrew is listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight requests');
      await new Promise<void>((res) => {
        server.close(() => res());
        // Idle keep-alive connections would hold close() open; in-flight requests still finish.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      database.close();
      logger.info('stopped');
    })());
  return { url, port, services, server, stop };
}
