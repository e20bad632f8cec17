/**
 * Live updates (`GET /api/ws`). server.ts creates one Realtime per process, app.ts mounts its route,
 * and server.ts attaches it to the HTTP server (the upgrade) and closes it on stop.
 */
import { createNodeWebSocket, type NodeWebSocket } from '@hono/node-ws';
import type { ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../lib/context.ts';
import type { Services } from '../../services.ts';
import { selectProtocol, upgradeHandler } from './handlers.ts';
import { LiveSockets, type RealtimeOptions } from './live-sockets.ts';

export { RedisHub } from './redis-hub.ts';
export { DEFAULT_REALTIME_OPTIONS, type RealtimeOptions } from './live-sockets.ts';

export class Realtime {
  readonly sockets: LiveSockets;
  #ws: NodeWebSocket | undefined;

  constructor(services: Services, options: Partial<RealtimeOptions> = {}) {
    this.sockets = new LiveSockets(services, options);
  }

  /** Registers `GET /api/ws` on the app (call before the app's `/api/*` catch-all). */
  mount(app: OpenAPIHono<AppEnv>): void {
    const ws = createNodeWebSocket({ app });
    // @hono/node-ws builds its ws server with defaults (100 MiB frames, first offered subprotocol echoed):
    // bound the frame size and never echo a `bearer.<token>` protocol back.
    ws.wss.options.maxPayload = this.sockets.options.maxMessageBytes;
    ws.wss.options.handleProtocols = (protocols: Set<string>) => selectProtocol(protocols);
    app.get('/api/ws', upgradeHandler(this.sockets, ws.upgradeWebSocket));
    this.#ws = ws;
  }

  /** Accepts upgrades on the HTTP server and starts the heartbeat and sweep. */
  attach(server: ServerType): void {
    if (!this.#ws) throw new Error('Realtime.mount(app) must run before attach(server)');
    this.#ws.injectWebSocket(server as Server);
    this.sockets.start();
  }

  async close(): Promise<void> {
    await this.sockets.close();
    this.#ws?.wss.close();
  }
}
