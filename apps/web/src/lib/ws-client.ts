/**
 * The live-updates client (`GET /api/ws`, see docs/api.md "Live updates"). Framework-agnostic: the
 * React side subscribes per page and refetches in `onReconnect`.
 *
 * - One socket per tab, opened on the first subscription (or `connect()`), same-origin so the session
 *   cookie authenticates it.
 * - Group events go to that group's handlers (`subscribe`); events for the user alone (`notification`,
 *   sent to every socket of the user with no subscription, and with a group id or null) go to the user
 *   handlers (`onUserEvent`) only, wherever the person is in the app.
 * - Reconnects after any drop with exponential backoff and full jitter (so a restarted server is not hit
 *   by every tab at once), resubscribes every group that still has handlers, then calls `onReconnect`:
 *   events sent while the socket was down are gone, so the page must refetch to be right.
 * - A handshake that fails cannot tell us why (browsers hide the HTTP status), and the 10-minute access
 *   cookie is the usual reason: before retrying after a failed or session-ended connection it calls
 *   `renewSession` (e.g. api-client's `refreshSession`); if that says the session is gone, it stops.
 *
 * Typed against a minimal socket interface rather than the DOM's, so it also runs under Node (tests pass
 * the `ws` package as `WebSocketImpl`).
 */
import type { LiveEvent, UserLiveEvent, WsAnyServerMessage, WsErrorCode } from '@queuecrew/shared';

export type LiveStatus = 'connecting' | 'open' | 'closed';

export interface LiveError {
  code: WsErrorCode;
  message: string;
  /** Set when the error concerns one group (e.g. `not_found`: not a member, or access was just revoked). */
  groupId?: string;
}

interface SocketLike {
  readonly readyState: number;
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

export interface LiveClientOptions {
  /** Default: `${location.origin.replace(/^http/, 'ws')}/api/ws`. */
  url?: string;
  /** Subprotocols to offer (non-browser clients: `['queuecrew', 'bearer.<access JWT>']`). */
  protocols?: string[];
  onStatus?: (status: LiveStatus) => void;
  /**
   * After a reconnection (not the first connection), once the server has answered every resubscription:
   * refetch what may have been missed.
   */
  onReconnect?: () => void;
  /** The server confirmed a subscription (after each (re)connection): events of that group now flow. */
  onSubscribed?: (groupId: string) => void;
  /** Errors from the server (`not_found` for a group means its events stopped; the page should leave it). */
  onError?: (error: LiveError) => void;
  /** Called before retrying when the last attempt never opened or the session ended; `false` stops retrying. */
  renewSession?: () => Promise<boolean>;
  /** Called when `renewSession` said the session is gone: the client is closed (sign in, then `connect()`). */
  onSessionEnded?: () => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Default: the global WebSocket. */
  WebSocketImpl?: SocketConstructor;
  /** Default: Math.random (tests may pin the jitter). */
  random?: () => number;
}

type Handler = (event: LiveEvent) => void;
type UserHandler = (event: UserLiveEvent) => void;

/**
 * USER_EVENT_TYPES of @queuecrew/shared, repeated here so the first-load bundle does not pull in zod
 * (the shared package's index imports it); `satisfies` keeps the two in step.
 */
const USER_EVENTS: ReadonlySet<string> = new Set(['notification'] satisfies UserLiveEvent['type'][]);

const OPEN = 1;
/** Close code the server uses when the socket's session ended (WS_CLOSE_SESSION_ENDED in @queuecrew/shared). */
const SESSION_ENDED = 4401;
/** A connection that stayed open this long resets the backoff. */
const STABLE_MS = 10_000;

function defaultUrl(): string {
  const origin = (globalThis as { location?: { origin: string } }).location?.origin;
  if (!origin) throw new Error('LiveClient needs options.url outside a browser');
  return `${origin.replace(/^http/, 'ws')}/api/ws`;
}

function report(error: unknown) {
  // A broken page handler must not stop other handlers or the socket; surface it like an uncaught error.
  const r = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (r) r(error);
  else console.error(error);
}

export class LiveClient {
  readonly #options: LiveClientOptions;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #userHandlers = new Set<UserHandler>();
  #socket: SocketLike | undefined;
  #status: LiveStatus = 'closed';
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  #everOpened = false;
  #openedAt = 0;
  #needsRenewal = false;
  /** After a reconnection: groups whose resubscription the server has not confirmed yet. */
  #resubscribing: Set<string> | undefined;
  #onOnline = () => {
    // The network is back: do not wait for the rest of a long backoff.
    if (!this.#stopped && this.#status === 'closed') this.#reconnectNow();
  };

  constructor(options: LiveClientOptions = {}) {
    this.#options = options;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  /** Follows a group's events; returns the unsubscribe function. Connects if needed. */
  subscribe(groupId: string, handler: Handler): () => void {
    let set = this.#handlers.get(groupId);
    const first = !set;
    if (!set) this.#handlers.set(groupId, (set = new Set()));
    set.add(handler);
    if (first) this.#sendIfOpen({ type: 'subscribe', groupId });
    if (this.#stopped) this.connect();
    return () => {
      const current = this.#handlers.get(groupId);
      if (!current?.delete(handler) || current.size > 0) return;
      this.#handlers.delete(groupId);
      this.#sendIfOpen({ type: 'unsubscribe', groupId });
    };
  }

  /**
   * Follows the events for the signed-in user alone (`notification`); needs no subscription message.
   * Returns the function that stops it. Connects if needed.
   */
  onUserEvent(handler: UserHandler): () => void {
    this.#userHandlers.add(handler);
    if (this.#stopped) this.connect();
    return () => {
      this.#userHandlers.delete(handler);
    };
  }

  connect(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const g = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
    g.addEventListener?.('online', this.#onOnline);
    this.#open();
  }

  /** Closes the socket and stops reconnecting (handlers are kept for a later `connect()`). */
  close(): void {
    this.#stopped = true;
    const g = globalThis as { removeEventListener?: (type: string, fn: () => void) => void };
    g.removeEventListener?.('online', this.#onOnline);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'client closed');
    }
    this.#setStatus('closed');
  }

  #open(): void {
    const Impl = this.#options.WebSocketImpl ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    if (!Impl) throw new Error('No WebSocket implementation available');
    this.#setStatus('connecting');
    let socket: SocketLike;
    try {
      socket = new Impl(this.#options.url ?? defaultUrl(), this.#options.protocols);
    } catch (e) {
      report(e);
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#openedAt = Date.now();
      const isReconnect = this.#everOpened;
      this.#everOpened = true;
      this.#setStatus('open');
      // The refetch must start only once every subscription is active again, or an event published
      // between the refetch's read and the resubscription would be lost.
      this.#resubscribing = isReconnect ? new Set(this.#handlers.keys()) : undefined;
      for (const groupId of this.#handlers.keys()) this.#send(socket, { type: 'subscribe', groupId });
      this.#settleResubscription(undefined);
    };
    socket.onmessage = (ev) => this.#onMessage(ev.data);
    socket.onerror = () => undefined; // a close event always follows; reconnection is decided there
    socket.onclose = (ev) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#setStatus('closed');
      if (this.#stopped) return;
      // A handshake that never opened is most often an expired access cookie; 4401 says so outright.
      this.#needsRenewal = !opened || ev.code === SESSION_ENDED;
      if (opened && Date.now() - this.#openedAt >= STABLE_MS) this.#attempt = 0;
      this.#scheduleReconnect();
    };
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WsAnyServerMessage;
    try {
      message = JSON.parse(data) as WsAnyServerMessage;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return;
    if (message.type === 'subscribed') {
      const { groupId } = message;
      this.#safely(() => this.#options.onSubscribed?.(groupId));
      this.#settleResubscription(groupId);
      return;
    }
    if (message.type === 'unsubscribed') return;
    if (message.type === 'error') {
      const error: LiveError = { code: message.code, message: message.message };
      if (message.groupId !== undefined) error.groupId = message.groupId;
      this.#safely(() => this.#options.onError?.(error));
      if (message.groupId !== undefined) this.#settleResubscription(message.groupId);
      if (message.code === 'unavailable' && message.groupId !== undefined) this.#retrySubscribe(message.groupId);
      return;
    }
    if (USER_EVENTS.has(message.type)) {
      const event = message as UserLiveEvent;
      for (const h of [...this.#userHandlers]) this.#safely(() => h(event));
      return;
    }
    const event = message as LiveEvent;
    const handlers = this.#handlers.get(event.groupId);
    if (!handlers) return;
    for (const h of [...handlers]) this.#safely(() => h(event));
  }

  /** The server could not check a subscription just now (database busy): ask again a little later. */
  #retrySubscribe(groupId: string): void {
    const socket = this.#socket;
    const delay = (this.#options.minDelayMs ?? 500) * (1 + (this.#options.random ?? Math.random)());
    setTimeout(() => {
      if (this.#socket === socket && socket && this.#handlers.has(groupId)) this.#send(socket, { type: 'subscribe', groupId });
    }, delay);
  }

  /** Marks a group's resubscription answered; calls onReconnect when none is left. */
  #settleResubscription(groupId: string | undefined): void {
    const pending = this.#resubscribing;
    if (!pending) return;
    if (groupId !== undefined) pending.delete(groupId);
    // Handlers removed meanwhile no longer wait for an answer.
    for (const g of pending) if (!this.#handlers.has(g)) pending.delete(g);
    if (pending.size > 0) return;
    this.#resubscribing = undefined;
    this.#safely(() => this.#options.onReconnect?.());
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const min = this.#options.minDelayMs ?? 500;
    const max = this.#options.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** this.#attempt);
    this.#attempt += 1;
    // Full jitter between min and the ceiling: spreads reconnecting tabs after a server restart.
    const delay = min + (this.#options.random ?? Math.random)() * Math.max(0, ceiling - min);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#retry();
    }, delay);
  }

  async #retry(): Promise<void> {
    if (this.#stopped) return;
    if (this.#needsRenewal && this.#options.renewSession) {
      let ok = false;
      try {
        ok = await this.#options.renewSession();
      } catch {
        // A network failure while renewing: try again later rather than give up on the session.
        this.#scheduleReconnect();
        return;
      }
      if (this.#stopped) return;
      if (!ok) {
        this.close();
        this.#safely(() => this.#options.onSessionEnded?.());
        return;
      }
    }
    this.#open();
  }

  #reconnectNow(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#retry();
  }

  #sendIfOpen(message: { type: 'subscribe' | 'unsubscribe'; groupId: string }): void {
    if (this.#socket && this.#status === 'open') this.#send(this.#socket, message);
  }

  #send(socket: SocketLike, message: { type: 'subscribe' | 'unsubscribe'; groupId: string }): void {
    if (socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  #setStatus(status: LiveStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#safely(() => this.#options.onStatus?.(status));
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      report(e);
    }
  }
}
