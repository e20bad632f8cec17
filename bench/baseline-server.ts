/**
 * The baseline: a bare Hono hello-world on @hono/node-server, the same stack QueueCrew runs on, in its
 * own process like the app server. Prints its port on stdout.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

const app = new Hono().get('/', (c) => c.text('Hello, World!'));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
