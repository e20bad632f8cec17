/**
 * The live-updates protocol of `GET /api/ws` (see docs/api.md, "Live updates"), shared by the server
 * (which validates every client message with these schemas) and the web app's ws-client (types only).
 */
import { z } from 'zod';

/** Event types the server pushes, each `{type, groupId, data}`. */
export const LIVE_EVENT_TYPES = [
  'suggestion_created',
  'suggestion_deleted',
  'vote_updated',
  'member_joined',
  'member_left',
  'member_updated',
  'group_updated',
  'group_deleted',
  // Game nights (docs/api.md "Game nights"): data is the night (`myRsvp` is null in events, as they
  // go to every member; derive it from `rsvps`), resp. `{date, userId, status}`.
  'night_updated',
  'night_closed',
  'rsvp_updated',
  // Fair picks (docs/api.md "Fair picks"): `{suggestionId, vetoedBy: [user]}` when a veto is cast or
  // taken back (vetoes are public); a ballot change sends `night_updated` (its `voters`, never a ranking).
  'veto_updated',
  // Game library (docs/api.md "Game library"): data is the game (`ownedByMe` false in events, as they go
  // to every member; derive it from `owners`) on create, edit and ownership changes, resp. `{gameId}`.
  'game_updated',
  'game_deleted',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export interface LiveEvent {
  type: LiveEventType;
  groupId: string;
  data: unknown;
}

/**
 * Events for one user only, delivered to every live socket of that user (no subscription needed):
 * `notification` carries the notification (`GET /api/notifications` shape) and its group id (or null).
 */
export const USER_EVENT_TYPES = ['notification'] as const;
export type UserEventType = (typeof USER_EVENT_TYPES)[number];

export interface UserLiveEvent {
  type: UserEventType;
  groupId: string | null;
  data: unknown;
}

/** Group ids are opaque; this bounds them so a message cannot smuggle anything large or odd. */
const groupId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'groupId must be a group id.');

/** What a client may send. Strict: an unknown field is a bad request, as for HTTP bodies. */
export const wsClientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), groupId }),
  z.strictObject({ type: z.literal('unsubscribe'), groupId }),
]);
export type WsClientMessage = z.infer<typeof wsClientMessage>;

/**
 * Error codes a client may receive:
 * - `not_found`: not a member of that group (or no such group, or access was just revoked);
 * - `bad_request`: the message was not JSON text or not one of the shapes above;
 * - `rate_limited`: too many messages in a short time (slow down);
 * - `too_many_subscriptions`: this socket already follows the maximum number of groups;
 * - `unavailable`: the server could not answer just now (e.g. the database was busy); try again.
 */
export type WsErrorCode = 'not_found' | 'bad_request' | 'rate_limited' | 'too_many_subscriptions' | 'unavailable';

export type WsServerMessage =
  | { type: 'subscribed'; groupId: string }
  | { type: 'unsubscribed'; groupId: string }
  | { type: 'error'; code: WsErrorCode; message: string; groupId?: string }
  | LiveEvent;

/** Everything the server may send, events for the one user (`notification`) included. */
export type WsAnyServerMessage = WsServerMessage | UserLiveEvent;

/**
 * Close codes the server uses besides the standard ones (1001 going away, 1008 policy violation,
 * 1009 message too big): 4401 the session ended (signed out, revoked, expired) — renew it before
 * reconnecting.
 */
export const WS_CLOSE_SESSION_ENDED = 4401;

/** The subprotocol a non-browser client offers next to `bearer.<access JWT>`; the server echoes it. */
export const WS_PROTOCOL = 'queuecrew';
