/**
 * Live updates (`GET /api/ws`). server.ts creates one Realtime per process, app.ts mounts its route,
 * and server.ts attaches it to the HTTP server (the upgrade) and closes it on stop.
 */
import { createNodeWebSocket, type NodeWebSocket } from '@hono/node-ws';
import type { ServerType } from '@hono/node-server';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context.ts';
import type { Services } from '../../services.ts';
import { selectProtocol, upgradeHandler } from './handlers.ts';
import { LiveSockets, type RealtimeOptions } from './live-sockets.ts';

export { DEFAULT_REALTIME_OPTIONS, type RealtimeOptions } from './live-sockets.ts';

const WS_PATH = '/api/ws';

function refuse(socket: Duplex, status: 400 | 404 | 500) {
  const text = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error' }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Stands between the HTTP server and @hono/node-ws: its `upgrade` listener is async and parses the
 * request target with `new URL()`, so a malformed target (`GET http://[ …`) or any other throw would be
 * an unhandled rejection, which ends a Node 20 process. With captureRejections, such a rejection comes
 * back here instead: logged, and that one connection is closed.
 */
class UpgradeRelay extends EventEmitter {
  constructor(readonly logger: Logger) {
    super({ captureRejections: true });
  }
  [Symbol.for('nodejs.rejection')](err: unknown, _event: string, _req: IncomingMessage, socket: Duplex) {
    this.logger.error({ err }, 'live socket upgrade failed');
    if (!socket.destroyed) refuse(socket, 500);
  }
}

export class Realtime {
  readonly sockets: LiveSockets;
  readonly #logger: Logger;
  #ws: NodeWebSocket | undefined;

  constructor(services: Services, options: Partial<RealtimeOptions> = {}) {
    this.sockets = new LiveSockets(services, options);
    this.#logger = services.logger;
  }

  /** Registers `GET /api/ws` on the app (call before the app's `/api/*` catch-all). */
  mount(app: OpenAPIHono<AppEnv>): void {
    const ws = createNodeWebSocket({ app });
    // @hono/node-ws builds its ws server with defaults (100 MiB frames, first offered subprotocol echoed):
    // bound the frame size and never echo a `bearer.<token>` protocol back.
    ws.wss.options.maxPayload = this.sockets.options.maxMessageBytes;
    ws.wss.options.handleProtocols = (protocols: Set<string>) => selectProtocol(protocols);
    app.get(WS_PATH, upgradeHandler(this.sockets, ws.upgradeWebSocket));
    this.#ws = ws;
  }

  /** Accepts upgrades on the HTTP server and starts the heartbeat and sweep. */
  attach(server: ServerType): void {
    if (!this.#ws) throw new Error('Realtime.mount(app) must run before attach(server)');
    const relay = new UpgradeRelay(this.#logger);
    this.#ws.injectWebSocket(relay as unknown as Server);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node takes its own error handler off an upgrading socket; without one, a peer resetting the
      // connection while the upgrade is being checked would throw an uncaught 'error' event.
      socket.on('error', (err) => this.#logger.debug({ err: err.message }, 'upgrading socket error'));
      let path: string;
      try {
        path = new URL(req.url ?? '/', 'http://localhost').pathname;
      } catch {
        return refuse(socket, 400);
      }
      // Only the live-updates endpoint upgrades; anything else is answered without running the app.
      if (path !== WS_PATH) return refuse(socket, 404);
      relay.emit('upgrade', req, socket, head);
    });
    this.sockets.start();
  }

  async close(): Promise<void> {
    await this.sockets.close();
    this.#ws?.wss.close();
  }
}
