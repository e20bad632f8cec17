/** What other features and the server may use from announcements (the group's Discord webhook and its outbox). */
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
