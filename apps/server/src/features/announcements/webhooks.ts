/**
 * A group's Discord webhook settings: validation of the URL shape, encryption at rest, the masked view
 * admins get, and the change itself. The URL is a bearer secret (anyone holding it can post into the
 * channel), so it is never returned, logged or put in an audit event in full.
 */
import type { z } from '@hono/zod-openapi';
import { DiscordWebhookSchema } from '@queuecrew/shared';
import type { Context } from 'hono';
import { and, eq, isNull } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import type { Config } from '../../env.ts';
import { auditRequest } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';

export { DiscordWebhookSchema };

const WEBHOOK_PATH = /^\/api\/webhooks\/(\d{1,20})\/([A-Za-z0-9_-]{1,100})$/;

export type DiscordWebhookDto = z.infer<typeof DiscordWebhookSchema>;

export const webhookAad = (groupId: string) => `webhook:${groupId}`;

const invalidWebhook = (message: string) =>
  new AppError(400, 'invalid_input', 'The Discord webhook URL is not valid.', { discordWebhookUrl: message });

/**
 * The canonical webhook URL, or a 400 naming the field. Accepted: https, a host of
 * DISCORD_WEBHOOK_HOSTS, default port, path `/api/webhooks/<digits>/<token>`, nothing else. In
 * development and tests DISCORD_WEBHOOK_BASE_URL (e.g. the fake Discord) is accepted as well; the
 * config refuses that variable in production.
 */
export function parseWebhookUrl(config: Pick<Config, 'discordWebhookHosts' | 'discordWebhookBaseUrl'>, raw: string): string {
  const value = raw.trim();
  const howTo = 'Paste the URL from Discord: Server Settings → Integrations → Webhooks → Copy Webhook URL.';
  if (value.length > 500) throw invalidWebhook(`The URL is too long. ${howTo}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidWebhook(`This is not a URL. ${howTo}`);
  }
  const viaBase = config.discordWebhookBaseUrl !== undefined && url.origin === config.discordWebhookBaseUrl;
  if (!viaBase) {
    if (url.protocol !== 'https:') throw invalidWebhook(`A Discord webhook URL starts with https://. ${howTo}`);
    if (!config.discordWebhookHosts.includes(url.hostname.toLowerCase()) || url.port !== '') {
      throw invalidWebhook(`Only Discord webhook URLs (${config.discordWebhookHosts.join(', ')}) are accepted. ${howTo}`);
    }
  }
  const m = WEBHOOK_PATH.exec(url.pathname);
  if (url.username || url.password || url.search || url.hash || !m) {
    throw invalidWebhook(`A Discord webhook URL looks like https://discord.com/api/webhooks/<number>/<token>. ${howTo}`);
  }
  return `${url.origin}/api/webhooks/${m[1]}/${m[2]}`;
}

/** What an admin sees: host and the start of the id, never the token. */
export function maskWebhookUrl(url: string): string {
  const parsed = new URL(url);
  const id = WEBHOOK_PATH.exec(parsed.pathname)?.[1] ?? '';
  return `${parsed.origin}/api/webhooks/${id.slice(0, 4)}…/••••`;
}

type GroupWebhookColumns = Pick<
  typeof schema.groups.$inferSelect,
  'id' | 'discordWebhookEnc' | 'webhookOnSuggestion' | 'webhookOnWinner' | 'webhookLastError' | 'webhookLastErrorAt'
>;

/** The `discordWebhook` field of the group for admins (members get no such field at all). */
export function webhookSettingsDto(fieldCipher: FieldCipher, group: GroupWebhookColumns): DiscordWebhookDto {
  let masked: string | null = null;
  if (group.discordWebhookEnc) {
    try {
      masked = maskWebhookUrl(fieldCipher.decrypt(group.discordWebhookEnc, webhookAad(group.id)));
    } catch {
      // A key that was rotated out: the admin sees that it is set but must set it again to use it.
      masked = '(cannot be read with the current key: set the webhook again)';
    }
  }
  return {
    configured: group.discordWebhookEnc !== null,
    masked,
    onSuggestion: group.webhookOnSuggestion,
    onWinner: group.webhookOnWinner,
    lastError: group.webhookLastError,
    lastErrorAt: group.webhookLastErrorAt?.toISOString() ?? null,
  };
}

export interface WebhookChanges {
  /** A canonical URL, null to remove, undefined to keep. */
  url?: string | null;
  onSuggestion?: boolean;
  onWinner?: boolean;
}

/** Validates the webhook fields of a group PATCH (before the write); undefined when there are none. */
export function parseWebhookChanges(
  config: Pick<Config, 'discordWebhookHosts' | 'discordWebhookBaseUrl'>,
  input: { discordWebhookUrl?: string | null; webhookOnSuggestion?: boolean; webhookOnWinner?: boolean },
): WebhookChanges | undefined {
  const changes: WebhookChanges = {};
  if (input.discordWebhookUrl !== undefined) {
    // An empty string removes it too, which is what clearing the input field in a form sends.
    changes.url =
      input.discordWebhookUrl === null || input.discordWebhookUrl.trim() === '' ? null : parseWebhookUrl(config, input.discordWebhookUrl);
  }
  if (input.webhookOnSuggestion !== undefined) changes.onSuggestion = input.webhookOnSuggestion;
  if (input.webhookOnWinner !== undefined) changes.onWinner = input.webhookOnWinner;
  return Object.keys(changes).length > 0 ? changes : undefined;
}

/**
 * Applies webhook changes inside the caller's write transaction and records `webhook_changed` (without
 * the URL). A new or removed URL clears the last error; removing it also drops pending deliveries.
 */
export async function applyWebhookChanges(c: Context<AppEnv>, tx: Tx, groupId: string, changes: WebhookChanges, now: Date): Promise<void> {
  const { fieldCipher } = c.get('services');
  const set: Partial<typeof schema.groups.$inferInsert> = { updatedAt: now };
  if (changes.url !== undefined) {
    set.discordWebhookEnc = changes.url === null ? null : fieldCipher.encrypt(changes.url, webhookAad(groupId));
    set.webhookLastError = null;
    set.webhookLastErrorAt = null;
  }
  if (changes.onSuggestion !== undefined) set.webhookOnSuggestion = changes.onSuggestion;
  if (changes.onWinner !== undefined) set.webhookOnWinner = changes.onWinner;
  await tx.update(schema.groups).set(set).where(eq(schema.groups.id, groupId));
  if (changes.url === null) {
    await tx
      .update(schema.webhookOutbox)
      .set({ failedAt: now, lastError: 'The webhook was removed before delivery.' })
      .where(
        and(eq(schema.webhookOutbox.groupId, groupId), isNull(schema.webhookOutbox.deliveredAt), isNull(schema.webhookOutbox.failedAt)),
      );
  }
  const auth = c.get('auth');
  await auditRequest(
    c,
    {
      type: 'webhook_changed',
      userId: auth?.userId ?? null,
      groupId,
      detail: {
        ...(changes.url !== undefined
          ? { webhook: changes.url === null ? 'removed' : 'set', host: changes.url ? new URL(changes.url).host : undefined }
          : {}),
        ...(changes.onSuggestion !== undefined ? { onSuggestion: changes.onSuggestion } : {}),
        ...(changes.onWinner !== undefined ? { onWinner: changes.onWinner } : {}),
      },
    },
    tx,
  );
}
