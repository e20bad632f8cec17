/**
 * The open live-update sockets of this instance and what each one follows. One dispatcher subscribed
 * to the Hub delivers every group event to the local sockets subscribed to that group; control
 * messages from any instance (access revoked, group deleted, sessions revoked) act on the local
 * sockets they concern, so a change made through instance A takes effect on instance B at once.
 *
 * Nothing here trusts the client: messages are size-limited (by the ws server), rate-limited per
 * socket, parsed and validated; a bad message gets `{type:"error"}` and the socket stays usable.
 */
import { wsClientMessage, WS_CLOSE_SESSION_ENDED, type WsErrorCode, type WsServerMessage } from '@queuecrew/shared';
import type { WebSocket } from 'ws';
import type { ControlMessage, GroupEvent, UserEvent } from '../../lib/hub.ts';
import type { Services } from '../../services.ts';
import { checkSubscribe, liveSessionIds, membershipKey, membershipKeys } from './data.ts';

export interface RealtimeOptions {
  /** Largest client message accepted; a bigger frame closes the socket with 1009. */
  maxMessageBytes: number;
  /** Groups one socket may follow at once. */
  maxSubscriptionsPerSocket: number;
  /** Open sockets per user on this instance (a few tabs and devices; more is abuse). */
  maxSocketsPerUser: number;
  /** Token bucket per socket: `messageBurst` at once, refilled at `messagesPerSecond`. */
  messageBurst: number;
  messagesPerSecond: number;
  /** Ping every `heartbeatMs`; a socket that has not answered the previous ping is terminated. */
  heartbeatMs: number;
  /** Re-validate every socket's session and subscriptions against the database this often. */
  sweepMs: number;
  /** A socket whose unsent data exceeds this is too slow to keep up and is dropped (it reconnects and refetches). */
  maxBufferedBytes: number;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  maxMessageBytes: 4 * 1024,
  maxSubscriptionsPerSocket: 50,
  maxSocketsPerUser: 20,
  messageBurst: 20,
  messagesPerSecond: 10,
  heartbeatMs: 30_000,
  sweepMs: 60_000,
  maxBufferedBytes: 1024 * 1024,
};

/** After this many refused messages in a row the client is not listening to `rate_limited`: close it. */
const RATE_LIMIT_STRIKES = 50;

interface Connection {
  readonly id: number;
  readonly userId: string;
  readonly sessionId: string;
  readonly socket: WebSocket;
  readonly subscriptions: Set<string>;
  /** Membership checks in flight; a revocation that arrives meanwhile cancels them. */
  readonly pending: Map<string, { cancelled: boolean }>;
  alive: boolean;
  tokens: number;
  refilledAt: number;
  strikes: number;
  closed: boolean;
}

const OPEN = 1;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

export class LiveSockets {
  readonly options: RealtimeOptions;
  readonly #services: Services;
  readonly #connections = new Set<Connection>();
  readonly #byGroup = new Map<string, Set<Connection>>();
  readonly #byUser = new Map<string, Set<Connection>>();
  readonly #bySession = new Map<string, Set<Connection>>();
  readonly #unlisten: (() => void)[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  #nextId = 1;
  #sweeping = false;
  #closed = false;

  constructor(services: Services, options: Partial<RealtimeOptions> = {}) {
    this.#services = services;
    this.options = { ...DEFAULT_REALTIME_OPTIONS, ...options };
    this.#unlisten.push(
      services.hub.onEvent((e) => this.#dispatch(e)),
      services.hub.onControl((m) => this.#control(m)),
      services.hub.onUserEvent((e) => this.#dispatchToUser(e)),
    );
    // A hub that missed messages (Redis reconnected) may have dropped revocations and events: re-check
    // everything now, and let clients reconnect so they refetch what they missed.
    const gap = services.hub.onGap?.(() => this.#afterGap());
    if (gap) this.#unlisten.push(gap);
  }

  /** Starts the heartbeat and the periodic sweep (only for a server that accepts sockets). */
  start(): void {
    const heartbeat = setInterval(() => this.#heartbeat(), this.options.heartbeatMs);
    const sweep = setInterval(() => void this.sweep(), this.options.sweepMs);
    heartbeat.unref();
    sweep.unref();
    this.#timers.push(heartbeat, sweep);
  }

  get size(): number {
    return this.#connections.size;
  }

  /** Whether `userId` may open one more socket here. */
  hasRoomFor(userId: string): boolean {
    return (this.#byUser.get(userId)?.size ?? 0) < this.options.maxSocketsPerUser;
  }

  /** Registers an upgraded socket and wires its events. */
  add(socket: WebSocket, auth: { userId: string; sessionId: string }): void {
    if (this.#closed) {
      socket.close(1001, 'server shutting down');
      return;
    }
    const conn: Connection = {
      id: this.#nextId++,
      userId: auth.userId,
      sessionId: auth.sessionId,
      socket,
      subscriptions: new Set(),
      pending: new Map(),
      alive: true,
      tokens: this.options.messageBurst,
      refilledAt: Date.now(),
      strikes: 0,
      closed: false,
    };
    this.#connections.add(conn);
    addTo(this.#byUser, conn.userId, conn);
    addTo(this.#bySession, conn.sessionId, conn);
    this.#services.metrics.activeSockets.inc();

    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('message', (data, isBinary) => {
      // Errors inside the handler must never reach the ws emitter (an uncaught throw would crash the process).
      this.#onMessage(conn, data, isBinary).catch((err: unknown) => {
        this.#services.logger.error({ err, socket: conn.id }, 'live socket message failed');
        this.#sendError(conn, 'unavailable', 'The server could not handle that just now. Try again in a moment.');
      });
    });
    socket.on('close', () => this.#remove(conn));
    socket.on('error', (err) => {
      // Oversized frames and protocol errors land here; ws closes the socket itself afterwards.
      this.#services.logger.debug({ err, socket: conn.id }, 'live socket error');
    });
  }

  async #onMessage(conn: Connection, data: unknown, isBinary: boolean): Promise<void> {
    if (conn.closed) return;
    if (!this.#takeToken(conn)) {
      conn.strikes += 1;
      if (conn.strikes >= RATE_LIMIT_STRIKES) {
        this.#closeConnection(conn, 1008, 'rate limit exceeded');
        return;
      }
      this.#sendError(conn, 'rate_limited', 'Too many messages: wait a moment before sending more.');
      return;
    }
    conn.strikes = 0;
    if (isBinary || !(Buffer.isBuffer(data) || typeof data === 'string')) {
      this.#sendError(conn, 'bad_request', 'Send JSON text messages such as {"type":"subscribe","groupId":"…"}.');
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      this.#sendError(conn, 'bad_request', 'That message is not valid JSON.');
      return;
    }
    const result = wsClientMessage.safeParse(parsed);
    if (!result.success) {
      this.#sendError(conn, 'bad_request', 'Send {"type":"subscribe" or "unsubscribe","groupId":"<group id>"} and nothing else.');
      return;
    }
    const message = result.data;
    if (message.type === 'unsubscribe') {
      this.#unsubscribe(conn, message.groupId);
      this.#send(conn, { type: 'unsubscribed', groupId: message.groupId });
      return;
    }
    await this.#subscribe(conn, message.groupId);
  }

  #takeToken(conn: Connection): boolean {
    const now = Date.now();
    const refill = ((now - conn.refilledAt) / 1000) * this.options.messagesPerSecond;
    conn.tokens = Math.min(this.options.messageBurst, conn.tokens + refill);
    conn.refilledAt = now;
    if (conn.tokens < 1) return false;
    conn.tokens -= 1;
    return true;
  }

  async #subscribe(conn: Connection, groupId: string): Promise<void> {
    if (conn.subscriptions.has(groupId)) {
      this.#send(conn, { type: 'subscribed', groupId });
      return;
    }
    if (conn.pending.has(groupId)) return; // the answer to the first request is on its way
    if (conn.subscriptions.size + conn.pending.size >= this.options.maxSubscriptionsPerSocket) {
      this.#sendError(
        conn,
        'too_many_subscriptions',
        `One connection can follow at most ${this.options.maxSubscriptionsPerSocket} groups; unsubscribe from one first.`,
        groupId,
      );
      return;
    }
    const check = { cancelled: false };
    conn.pending.set(groupId, check);
    let verdict;
    try {
      const { database, config } = this.#services;
      verdict = await checkSubscribe(database.db, config, conn.sessionId, conn.userId, groupId);
    } catch (err) {
      this.#services.logger.error({ err, socket: conn.id }, 'live subscribe check failed');
      this.#sendError(conn, 'unavailable', 'The server could not check that just now. Subscribe again in a moment.', groupId);
      return;
    } finally {
      if (conn.pending.get(groupId) === check) conn.pending.delete(groupId);
    }
    if (conn.closed) return;
    if (verdict === 'session_ended') {
      this.#closeConnection(conn, WS_CLOSE_SESSION_ENDED, 'session ended');
      return;
    }
    // A revocation (or unsubscribe) that arrived while the database was answering wins over a stale "member".
    if (verdict === 'not_member' || check.cancelled) {
      this.#sendError(conn, 'not_found', 'That group does not exist or you are not a member of it.', groupId);
      return;
    }
    conn.subscriptions.add(groupId);
    addTo(this.#byGroup, groupId, conn);
    this.#send(conn, { type: 'subscribed', groupId });
  }

  #unsubscribe(conn: Connection, groupId: string): boolean {
    const pending = conn.pending.get(groupId);
    if (pending) pending.cancelled = true;
    if (!conn.subscriptions.delete(groupId)) return pending !== undefined;
    removeFrom(this.#byGroup, groupId, conn);
    return true;
  }

  /** The one dispatcher: serialise once, send to every local subscriber of the group. */
  #dispatch(event: GroupEvent): void {
    const subscribers = this.#byGroup.get(event.groupId);
    if (!subscribers) return;
    const payload = Buffer.from(JSON.stringify({ type: event.type, groupId: event.groupId, data: event.data }));
    for (const conn of [...subscribers]) {
      this.#sendRaw(conn, payload);
      // The group is gone: nothing more will come, and its id must not keep sockets subscribed.
      if (event.type === 'group_deleted') this.#unsubscribe(conn, event.groupId);
    }
  }

  /**
   * An event for one user: to every open socket of that user here, subscribed to a group or not. The
   * user id stays on the server side (the client knows who it is).
   */
  #dispatchToUser(event: UserEvent): void {
    const conns = this.#byUser.get(event.userId);
    if (!conns) return;
    const payload = Buffer.from(JSON.stringify({ type: event.type, groupId: event.groupId, data: event.data }));
    for (const conn of [...conns]) this.#sendRaw(conn, payload);
  }

  #control(message: ControlMessage): void {
    switch (message.type) {
      case 'access_revoked':
        for (const conn of [...(this.#byUser.get(message.userId) ?? [])]) {
          if (this.#unsubscribe(conn, message.groupId)) {
            this.#sendError(conn, 'not_found', 'You are no longer a member of this group.', message.groupId);
          }
        }
        return;
      case 'group_deleted':
        for (const conn of [...(this.#byGroup.get(message.groupId) ?? [])]) {
          this.#unsubscribe(conn, message.groupId);
          this.#sendError(conn, 'not_found', 'This group has been deleted.', message.groupId);
        }
        // Checks in flight for the deleted group must not subscribe afterwards.
        for (const conn of this.#connections) this.#unsubscribe(conn, message.groupId);
        return;
      case 'session_revoked':
        for (const conn of [...(this.#bySession.get(message.sessionId) ?? [])]) {
          this.#closeConnection(conn, WS_CLOSE_SESSION_ENDED, 'session ended');
        }
        return;
      case 'user_sessions_revoked':
        for (const conn of [...(this.#byUser.get(message.userId) ?? [])]) {
          if (conn.sessionId !== message.exceptSessionId) this.#closeConnection(conn, WS_CLOSE_SESSION_ENDED, 'session ended');
        }
        return;
    }
  }

  /**
   * Re-validates every open socket in two queries: sessions (revoked, expired, idle, user disabled →
   * close) and memberships (gone → drop the subscription). A safety net for control messages lost while
   * Redis was unreachable; the normal path is the control message, which acts at once.
   */
  async sweep(): Promise<void> {
    if (this.#sweeping || this.#connections.size === 0) return;
    this.#sweeping = true;
    try {
      const { database, config } = this.#services;
      const live = await liveSessionIds(database.db, config, [...this.#bySession.keys()]);
      for (const [sessionId, conns] of [...this.#bySession]) {
        if (live.has(sessionId)) continue;
        for (const conn of [...conns]) this.#closeConnection(conn, WS_CLOSE_SESSION_ENDED, 'session ended');
      }
      const subscribedUsers = [...new Set([...this.#connections].filter((c) => c.subscriptions.size > 0).map((c) => c.userId))];
      if (subscribedUsers.length === 0) return;
      const members = await membershipKeys(database.db, subscribedUsers);
      for (const conn of [...this.#connections]) {
        for (const groupId of [...conn.subscriptions]) {
          if (members.has(membershipKey(groupId, conn.userId))) continue;
          this.#unsubscribe(conn, groupId);
          this.#sendError(conn, 'not_found', 'You are no longer a member of this group.', groupId);
        }
      }
    } catch (err) {
      this.#services.logger.error({ err }, 'live socket sweep failed');
    } finally {
      this.#sweeping = false;
    }
  }

  #afterGap(): void {
    this.#services.logger.warn({ sockets: this.#connections.size }, 'live hub missed messages: asking clients to reconnect');
    // 1012 "service restart": clients reconnect, resubscribe and refetch what they may have missed.
    for (const conn of [...this.#connections]) this.#closeConnection(conn, 1012, 'reconnect to resync');
  }

  #heartbeat(): void {
    for (const conn of [...this.#connections]) {
      if (!conn.alive) {
        // No pong since the last ping: the peer is gone (or hopelessly slow). Do not wait for TCP.
        conn.socket.terminate();
        this.#remove(conn);
        continue;
      }
      conn.alive = false;
      try {
        conn.socket.ping();
      } catch {
        this.#remove(conn);
      }
    }
  }

  #send(conn: Connection, message: WsServerMessage): void {
    this.#sendRaw(conn, Buffer.from(JSON.stringify(message)));
  }

  #sendError(conn: Connection, code: WsErrorCode, message: string, groupId?: string): void {
    this.#send(conn, groupId === undefined ? { type: 'error', code, message } : { type: 'error', code, message, groupId });
  }

  #sendRaw(conn: Connection, payload: Buffer): void {
    if (conn.closed || conn.socket.readyState !== OPEN) return;
    if (conn.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.#services.logger.warn({ socket: conn.id, buffered: conn.socket.bufferedAmount }, 'live socket too slow: dropped');
      conn.socket.terminate();
      this.#remove(conn);
      return;
    }
    conn.socket.send(payload, { binary: false });
  }

  #closeConnection(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return;
    try {
      conn.socket.close(code, reason);
    } catch {
      conn.socket.terminate();
    }
    this.#remove(conn);
  }

  #remove(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    for (const check of conn.pending.values()) check.cancelled = true;
    for (const groupId of conn.subscriptions) removeFrom(this.#byGroup, groupId, conn);
    conn.subscriptions.clear();
    removeFrom(this.#byUser, conn.userId, conn);
    removeFrom(this.#bySession, conn.sessionId, conn);
    this.#connections.delete(conn);
    this.#services.metrics.activeSockets.dec();
  }

  /** Stops timers and listeners and closes every socket with 1001 (clients reconnect elsewhere). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    for (const off of this.#unlisten) off();
    const sockets = [...this.#connections].map((c) => c.socket);
    const closed = sockets.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())));
    for (const conn of [...this.#connections]) this.#closeConnection(conn, 1001, 'server shutting down');
    // Give close frames a moment to go out, then cut whatever is left so shutdown cannot hang.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000);
    });
    await Promise.race([Promise.all(closed), timeout]);
    clearTimeout(timer);
    for (const s of sockets) if (s.readyState !== 3) s.terminate();
  }
}
