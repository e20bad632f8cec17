/**
 * The Hub carries live events to every server instance. Publish only after the transaction that
 * caused the event has committed (`publishAfterCommit`). Two implementations: `InMemoryHub` below (one
 * instance) and `RedisHub` in redis-hub.ts (Redis pub/sub, any number of instances).
 */
import type { Logger } from 'pino';

export type GroupEventType =
  | 'suggestion_created'
  | 'suggestion_deleted'
  | 'vote_updated'
  | 'member_joined'
  | 'member_left'
  | 'member_updated'
  | 'group_updated'
  | 'group_deleted'
  | 'night_updated'
  | 'night_closed'
  | 'rsvp_updated'
  | 'game_updated'
  | 'game_deleted'
  | 'veto_updated';

export interface GroupEvent {
  type: GroupEventType;
  groupId: string;
  data: unknown;
}

/** An event for one user only (e.g. a notification), delivered to all of that user's live sockets. */
export interface UserEvent {
  type: 'notification';
  userId: string;
  groupId: string | null;
  data: unknown;
}

/** Control messages between instances, e.g. "user X lost access to group G: drop their subscription". */
export type ControlMessage =
  | { type: 'access_revoked'; groupId: string; userId: string }
  | { type: 'group_deleted'; groupId: string }
  | { type: 'session_revoked'; sessionId: string }
  | { type: 'user_sessions_revoked'; userId: string; exceptSessionId?: string };

export interface Hub {
  publish(event: GroupEvent): Promise<void>;
  control(message: ControlMessage): Promise<void>;
  /** Publishes to one user's sockets on every instance (the user channel). */
  publishToUser(event: UserEvent): Promise<void>;
  onEvent(listener: (event: GroupEvent) => void): () => void;
  onControl(listener: (message: ControlMessage) => void): () => void;
  onUserEvent(listener: (event: UserEvent) => void): () => void;
  /**
   * Called when the hub may have missed messages (e.g. its Redis connection was lost and came back):
   * listeners re-check what they hold. The in-process hub never misses anything and does not implement it.
   */
  onGap?(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Publishes live events, then control messages, then user events, once the transaction that caused them
 * has committed. A publish failure (e.g. Redis down) must not turn a committed write into an error
 * response, so each one is logged instead and the rest still go out.
 */
export async function publishAfterCommit(
  hub: Hub,
  logger: Logger,
  events: readonly GroupEvent[],
  controls: readonly ControlMessage[] = [],
  userEvents: readonly UserEvent[] = [],
): Promise<void> {
  for (const event of events) {
    try {
      await hub.publish(event);
    } catch (err) {
      logger.error({ err, event: event.type, groupId: event.groupId }, 'live event publish failed');
    }
  }
  for (const message of controls) {
    try {
      await hub.control(message);
    } catch (err) {
      logger.error({ err, control: message.type }, 'live control publish failed');
    }
  }
  for (const event of userEvents) {
    try {
      await hub.publishToUser(event);
    } catch (err) {
      logger.error({ err, event: event.type, userId: event.userId }, 'live user event publish failed');
    }
  }
}

export class InMemoryHub implements Hub {
  readonly #events = new Set<(e: GroupEvent) => void>();
  readonly #controls = new Set<(m: ControlMessage) => void>();
  readonly #users = new Set<(e: UserEvent) => void>();
  async publish(event: GroupEvent) {
    for (const l of this.#events) l(event);
  }
  async control(message: ControlMessage) {
    for (const l of this.#controls) l(message);
  }
  onEvent(listener: (e: GroupEvent) => void) {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }
  onControl(listener: (m: ControlMessage) => void) {
    this.#controls.add(listener);
    return () => this.#controls.delete(listener);
  }
  async publishToUser(event: UserEvent) {
    for (const l of this.#users) l(event);
  }
  onUserEvent(listener: (e: UserEvent) => void) {
    this.#users.add(listener);
    return () => this.#users.delete(listener);
  }
  async close() {
    this.#events.clear();
    this.#controls.clear();
    this.#users.clear();
  }
}
