/**
 * The Hub over Redis pub/sub, so that a vote on instance A reaches a browser connected to instance B.
 *
 * Two connections: one publishes, one only subscribes (a subscribed Redis connection cannot run other
 * commands). Events and control messages go on two channels but through the same publisher connection,
 * so Redis delivers them to every subscriber in the order they were published (the `group_deleted`
 * event before the `group_deleted` control that drops the subscriptions). Every instance, the publisher
 * included, receives its own messages back from Redis: local delivery happens only there, exactly once.
 *
 * Messages are JSON, validated on receipt (another process wrote them); anything malformed is logged and
 * dropped. If the subscriber loses its connection, messages published meanwhile are lost: `onGap`
 * listeners are told when it comes back so they can re-check and make clients refetch.
 */
import { LIVE_EVENT_TYPES, USER_EVENT_TYPES } from '@queuecrew/shared';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ControlMessage, GroupEvent, Hub, UserEvent } from './hub.ts';

const id = z.string().min(1).max(128);
const groupEventSchema = z.object({ type: z.enum(LIVE_EVENT_TYPES), groupId: id, data: z.unknown() });
const userEventSchema = z.object({ type: z.enum(USER_EVENT_TYPES), userId: id, groupId: id.nullable(), data: z.unknown() });
const controlSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('access_revoked'), groupId: id, userId: id }),
  z.object({ type: z.literal('group_deleted'), groupId: id }),
  z.object({ type: z.literal('session_revoked'), sessionId: id }),
  z.object({ type: z.literal('user_sessions_revoked'), userId: id, exceptSessionId: id.optional() }),
]);

/** Larger messages are not ours (events carry one suggestion or member at most). */
const MAX_MESSAGE_CHARS = 256 * 1024;

export interface RedisHubOptions {
  /** Channel prefix, so several deployments can share one Redis. */
  prefix?: string;
}

export class RedisHub implements Hub {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #logger: Logger;
  readonly #eventsChannel: string;
  readonly #controlChannel: string;
  readonly #usersChannel: string;
  readonly #events = new Set<(e: GroupEvent) => void>();
  readonly #controls = new Set<(m: ControlMessage) => void>();
  readonly #users = new Set<(e: UserEvent) => void>();
  readonly #gaps = new Set<() => void>();
  #wasReady = false;
  #lost = false;
  #closed = false;

  private constructor(url: string, logger: Logger, options: RedisHubOptions) {
    const prefix = options.prefix ?? 'qc:hub:';
    this.#eventsChannel = `${prefix}events`;
    this.#controlChannel = `${prefix}control`;
    // The user channel: events for one user (notifications); every instance delivers to its own sockets of that user.
    this.#usersChannel = `${prefix}users`;
    this.#logger = logger.child({ component: 'redis-hub' });
    // Publishing happens after a committed write, inside a request: fail fast rather than hold the
    // response while Redis is away (the caller logs the failure; clients catch up on reconnect).
    this.#pub = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2000, lazyConnect: true });
    // The subscriber retries for ever (ioredis re-subscribes by itself after reconnecting).
    this.#sub = new Redis(url, { lazyConnect: true });
    for (const [name, conn] of [
      ['publisher', this.#pub],
      ['subscriber', this.#sub],
    ] as const) {
      conn.on('error', (err: Error) => this.#logger.warn({ err: err.message, connection: name }, 'redis hub connection error'));
    }
    this.#sub.on('close', () => {
      if (this.#wasReady && !this.#closed) this.#lost = true;
    });
    this.#sub.on('ready', () => {
      if (this.#lost) {
        this.#lost = false;
        this.#logger.warn('redis hub subscriber reconnected: messages sent meanwhile were missed');
        this.#emit(this.#gaps, undefined, (l) => l());
      }
      this.#wasReady = true;
    });
    this.#sub.on('message', (channel: string, message: string) => this.#receive(channel, message));
  }

  /** Connects both sides and waits until the subscription is active, so no event is missed after start. */
  static async connect(url: string, logger: Logger, options: RedisHubOptions = {}): Promise<RedisHub> {
    const hub = new RedisHub(url, logger, options);
    try {
      await Promise.all([hub.#pub.connect(), hub.#sub.connect()]);
      await hub.#sub.subscribe(hub.#eventsChannel, hub.#controlChannel, hub.#usersChannel);
    } catch (err) {
      await hub.close();
      throw new Error(`Cannot connect to Redis at REDIS_URL for live updates: ${(err as Error).message}`, { cause: err });
    }
    return hub;
  }

  async publish(event: GroupEvent): Promise<void> {
    await this.#pub.publish(this.#eventsChannel, JSON.stringify(event));
  }

  async control(message: ControlMessage): Promise<void> {
    await this.#pub.publish(this.#controlChannel, JSON.stringify(message));
  }

  async publishToUser(event: UserEvent): Promise<void> {
    await this.#pub.publish(this.#usersChannel, JSON.stringify(event));
  }

  onUserEvent(listener: (e: UserEvent) => void): () => void {
    this.#users.add(listener);
    return () => this.#users.delete(listener);
  }

  onEvent(listener: (e: GroupEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  onControl(listener: (m: ControlMessage) => void): () => void {
    this.#controls.add(listener);
    return () => this.#controls.delete(listener);
  }

  onGap(listener: () => void): () => void {
    this.#gaps.add(listener);
    return () => this.#gaps.delete(listener);
  }

  #receive(channel: string, message: string): void {
    if (message.length > MAX_MESSAGE_CHARS) {
      this.#logger.warn({ channel, chars: message.length }, 'redis hub message too large: dropped');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      this.#logger.warn({ channel }, 'redis hub message is not JSON: dropped');
      return;
    }
    if (channel === this.#eventsChannel) {
      const parsed = groupEventSchema.safeParse(json);
      if (!parsed.success) this.#logger.warn({ channel }, 'redis hub event malformed: dropped');
      else this.#emit(this.#events, parsed.data, (l, e) => l(e));
    } else if (channel === this.#controlChannel) {
      const parsed = controlSchema.safeParse(json);
      if (!parsed.success) this.#logger.warn({ channel }, 'redis hub control message malformed: dropped');
      else this.#emit(this.#controls, parsed.data, (l, m) => l(m));
    } else if (channel === this.#usersChannel) {
      const parsed = userEventSchema.safeParse(json);
      if (!parsed.success) this.#logger.warn({ channel }, 'redis hub user event malformed: dropped');
      else this.#emit(this.#users, parsed.data, (l, e) => l(e));
    }
  }

  /** One failing listener must not keep the others from their messages (or crash the subscriber). */
  #emit<L, M>(listeners: Set<L>, message: M, call: (listener: L, message: M) => void): void {
    for (const l of listeners) {
      try {
        call(l, message);
      } catch (err) {
        this.#logger.error({ err }, 'redis hub listener failed');
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#events.clear();
    this.#controls.clear();
    this.#users.clear();
    this.#gaps.clear();
    await Promise.all(
      [this.#pub, this.#sub].map((conn) =>
        conn.status === 'ready'
          ? conn.quit().then(
              () => undefined,
              () => conn.disconnect(),
            )
          : Promise.resolve(conn.disconnect()),
      ),
    );
  }
}
