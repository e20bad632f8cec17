/** What other features and the server may use from discord. */
export { enqueueNightMessage, enqueueSuggestionAnnouncement, inert, WebhookWorker, type WebhookWorkerOptions } from './outbox.ts';
export {
  DiscordWebhookSchema,
  applyWebhookChanges,
  parseWebhookChanges,
  webhookSettingsDto,
  webhookAad,
  type DiscordWebhookDto,
  type WebhookChanges,
} from './webhooks.ts';
// For the Discord interactions feature: a Discord identity becomes an account the same way sign-in does it.
export { findUserByDiscordId } from './data.ts';
export { createDiscordUser } from './mutations.ts';
export type { DiscordUser } from './oauth.ts';
// For Steam linking: the same open-redirect-safe returnTo rule.
export { safeReturnTo } from './oauth.ts';
