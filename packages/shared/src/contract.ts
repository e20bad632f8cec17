/**
 * The wire contract of every JSON operation under /api: `"METHOD /api/path/{param}"` → the success
 * status, the request body schema (when the operation takes one) and the response body schema (absent
 * for 204). The server's routes declare the same schemas (apps/server/src/lib/contract.test.ts compares
 * this table with the served OpenAPI document, both ways); the web app's client takes its types from it
 * with `import type` (apps/web/src/lib/api.ts), so no zod reaches the browser through it.
 *
 * Not listed: redirects (`/api/auth/discord`, `/api/auth/steam` and their callbacks), the Discord
 * interactions endpoint, the calendar feed (text/calendar), `/api/privacy` and the ops routes.
 */
import { z } from 'zod';
import {
  adminSettingsInput,
  ballotInput,
  createGameInput,
  createGroupInput,
  createInviteInput,
  createSuggestionInput,
  deleteMeInput,
  discordSecondFactorInput,
  loginInput,
  passwordChangeInput,
  passwordResetInput,
  pickNightInput,
  pushSubscriptionInput,
  pushUnsubscribeInput,
  readNotificationsInput,
  recoveryCodesInput,
  registerInput,
  reopenNightInput,
  rsvpInput,
  steamImportInput,
  transferInput,
  twoFactorDisableInput,
  twoFactorEnableInput,
  updateGameInput,
  updateGroupInput,
  updateMeInput,
  updateMemberInput,
  updateNightInput,
} from './inputs.ts';
import {
  ActivitySchema,
  AdminUserSchema,
  AuthConfigSchema,
  BallotSchema,
  CalendarFeedSchema,
  DiscordLinkCodeSchema,
  DiscordSignInSchema,
  GameSchema,
  GroupDetailSchema,
  GroupListItemSchema,
  GroupSchema,
  HistoryDaySchema,
  InstanceSettingsSchema,
  InviteAcceptedSchema,
  InvitePreviewSchema,
  InviteSchema,
  MemberSchema,
  NightSchema,
  NotificationSchema,
  NotificationSettingsSchema,
  notificationSettingsInput,
  NudgeResultSchema,
  page,
  PasswordResetLinkSchema,
  PushSubscriptionSchema,
  RecoveryCodesLeftSchema,
  RecoveryCodesSchema,
  ResultsSchema,
  SecurityEventSchema,
  SessionSchema,
  StatsSchema,
  SteamImportResultSchema,
  SuggestionSchema,
  TwoFactorSetupSchema,
  UserEnvelopeSchema,
  UserExportSchema,
  UserSchema,
  VapidKeySchema,
  VetoResultSchema,
  VoteResultSchema,
} from './responses.ts';

export interface ContractEntry {
  status: 200 | 201 | 202 | 204;
  body?: z.ZodType;
  response?: z.ZodType;
}

export const apiContract = {
  // Auth
  'POST /api/auth/register': { status: 201, body: registerInput, response: UserEnvelopeSchema },
  'POST /api/auth/login': { status: 200, body: loginInput, response: UserEnvelopeSchema },
  'POST /api/auth/refresh': { status: 200, response: UserEnvelopeSchema },
  'POST /api/auth/logout': { status: 204 },
  'GET /api/auth/sessions': { status: 200, response: z.array(SessionSchema) },
  'DELETE /api/auth/sessions': { status: 204 },
  'DELETE /api/auth/sessions/{id}': { status: 204 },
  'POST /api/auth/password': { status: 204, body: passwordChangeInput },
  'POST /api/auth/password-reset': { status: 204, body: passwordResetInput },
  'POST /api/auth/2fa/setup': { status: 200, response: TwoFactorSetupSchema },
  'POST /api/auth/2fa/enable': { status: 200, body: twoFactorEnableInput, response: RecoveryCodesSchema },
  'POST /api/auth/2fa/disable': { status: 204, body: twoFactorDisableInput },
  'GET /api/auth/2fa/recovery-codes': { status: 200, response: RecoveryCodesLeftSchema },
  'POST /api/auth/2fa/recovery-codes': { status: 200, body: recoveryCodesInput, response: RecoveryCodesSchema },
  'GET /api/auth/config': { status: 200, response: AuthConfigSchema },
  'POST /api/auth/discord/2fa': { status: 200, body: discordSecondFactorInput, response: DiscordSignInSchema },
  // The signed-in user
  'GET /api/users/me': { status: 200, response: UserSchema },
  'PATCH /api/users/me': { status: 200, body: updateMeInput, response: UserSchema },
  'DELETE /api/users/me': { status: 204, body: deleteMeInput },
  'GET /api/users/me/export': { status: 200, response: UserExportSchema },
  'GET /api/users/me/activity': { status: 200, response: z.array(ActivitySchema) },
  'POST /api/users/me/calendar': { status: 201, response: CalendarFeedSchema },
  'DELETE /api/users/me/calendar': { status: 204 },
  'DELETE /api/users/me/discord': { status: 200, response: UserEnvelopeSchema },
  'DELETE /api/users/me/steam': { status: 200, response: UserSchema },
  'POST /api/users/me/steam/import': { status: 200, body: steamImportInput, response: SteamImportResultSchema },
  // Push
  'GET /api/push/vapid-key': { status: 200, response: VapidKeySchema },
  'POST /api/push/subscriptions': { status: 201, body: pushSubscriptionInput, response: PushSubscriptionSchema },
  'DELETE /api/push/subscriptions': { status: 204, body: pushUnsubscribeInput },
  'GET /api/users/me/notification-settings': { status: 200, response: NotificationSettingsSchema },
  'PATCH /api/users/me/notification-settings': { status: 200, body: notificationSettingsInput, response: NotificationSettingsSchema },
  // Instance administration
  'GET /api/admin/settings': { status: 200, response: InstanceSettingsSchema },
  'PUT /api/admin/settings': { status: 200, body: adminSettingsInput, response: InstanceSettingsSchema },
  'GET /api/admin/users': { status: 200, response: page(AdminUserSchema) },
  'POST /api/admin/users/{id}/disable': { status: 200, response: AdminUserSchema },
  'POST /api/admin/users/{id}/enable': { status: 200, response: AdminUserSchema },
  'POST /api/admin/users/{id}/password-reset-link': { status: 201, response: PasswordResetLinkSchema },
  'DELETE /api/admin/users/{id}': { status: 204 },
  'GET /api/admin/security-events': { status: 200, response: page(SecurityEventSchema) },
  // Groups, members, Discord channel
  'POST /api/groups': { status: 201, body: createGroupInput, response: GroupSchema },
  'GET /api/groups': { status: 200, response: z.array(GroupListItemSchema) },
  'GET /api/groups/{groupId}': { status: 200, response: GroupDetailSchema },
  'PATCH /api/groups/{groupId}': { status: 200, body: updateGroupInput, response: GroupSchema },
  'DELETE /api/groups/{groupId}': { status: 204 },
  'PATCH /api/groups/{groupId}/members/{userId}': { status: 200, body: updateMemberInput, response: MemberSchema },
  'DELETE /api/groups/{groupId}/members/{userId}': { status: 204 },
  'POST /api/groups/{groupId}/transfer': { status: 200, body: transferInput, response: GroupDetailSchema },
  'POST /api/groups/{groupId}/discord/link-code': { status: 201, response: DiscordLinkCodeSchema },
  'DELETE /api/groups/{groupId}/discord/channel': { status: 204 },
  // Invites
  'POST /api/groups/{groupId}/invites': { status: 201, body: createInviteInput, response: InviteSchema },
  'GET /api/groups/{groupId}/invites': { status: 200, response: z.array(InviteSchema) },
  'DELETE /api/groups/{groupId}/invites/{inviteId}': { status: 204 },
  'GET /api/invites/{code}': { status: 200, response: InvitePreviewSchema },
  'POST /api/invites/{code}/accept': { status: 200, response: InviteAcceptedSchema },
  // Suggestions, votes, vetoes, results, history
  'POST /api/groups/{groupId}/suggestions': { status: 201, body: createSuggestionInput, response: SuggestionSchema },
  'GET /api/groups/{groupId}/suggestions': { status: 200, response: z.array(SuggestionSchema) },
  'DELETE /api/suggestions/{suggestionId}': { status: 204 },
  'POST /api/suggestions/{suggestionId}/votes': { status: 201, response: VoteResultSchema },
  'DELETE /api/suggestions/{suggestionId}/votes': { status: 204 },
  'POST /api/suggestions/{suggestionId}/veto': { status: 201, response: VetoResultSchema },
  'DELETE /api/suggestions/{suggestionId}/veto': { status: 204 },
  'GET /api/groups/{groupId}/results': { status: 200, response: ResultsSchema },
  'GET /api/groups/{groupId}/history': { status: 200, response: z.array(HistoryDaySchema) },
  // Game nights
  'GET /api/groups/{groupId}/nights': { status: 200, response: z.array(NightSchema) },
  'GET /api/groups/{groupId}/nights/{date}': { status: 200, response: NightSchema },
  'PATCH /api/groups/{groupId}/nights/{date}': { status: 200, body: updateNightInput, response: NightSchema },
  'POST /api/groups/{groupId}/nights/{date}/close': { status: 200, response: NightSchema },
  'POST /api/groups/{groupId}/nights/{date}/reopen': { status: 200, body: reopenNightInput, response: NightSchema },
  'POST /api/groups/{groupId}/nights/{date}/pick': { status: 200, body: pickNightInput, response: NightSchema },
  'PUT /api/groups/{groupId}/nights/{date}/rsvp': { status: 200, body: rsvpInput, response: NightSchema },
  'POST /api/groups/{groupId}/nights/{date}/nudge': { status: 202, response: NudgeResultSchema },
  'PUT /api/groups/{groupId}/nights/{date}/ballot': { status: 200, body: ballotInput, response: BallotSchema },
  'GET /api/groups/{groupId}/nights/{date}/ballot': { status: 200, response: BallotSchema },
  // Statistics and the game library
  'GET /api/groups/{groupId}/stats': { status: 200, response: StatsSchema },
  'GET /api/groups/{groupId}/games': { status: 200, response: z.array(GameSchema) },
  'POST /api/groups/{groupId}/games': { status: 201, body: createGameInput, response: GameSchema },
  'PATCH /api/games/{gameId}': { status: 200, body: updateGameInput, response: GameSchema },
  'DELETE /api/games/{gameId}': { status: 204 },
  'PUT /api/games/{gameId}/owners/me': { status: 200, response: GameSchema },
  'DELETE /api/games/{gameId}/owners/me': { status: 200, response: GameSchema },
  // Notifications
  'GET /api/notifications': { status: 200, response: z.array(NotificationSchema) },
  'POST /api/notifications/read': { status: 204, body: readNotificationsInput },
} as const satisfies Record<string, ContractEntry>;

export type ApiContract = typeof apiContract;
export type ApiRoute = keyof ApiContract;

/** The response body of a route (`undefined` for 204). */
export type ApiResponse<R extends ApiRoute> = ApiContract[R] extends { response: infer S extends z.ZodType } ? z.output<S> : undefined;

/** The request body a route accepts (what the client sends, before the server's defaults and transforms). */
export type ApiBody<R extends ApiRoute> = ApiContract[R] extends { body: infer S extends z.ZodType } ? z.input<S> : never;
