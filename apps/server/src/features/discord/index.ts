/** What other features and the server may use from discord. */
export { discordRouter } from './router.ts';
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
