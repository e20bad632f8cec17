/** Thin handlers for linking a Discord channel from the web app: parse → policy → mutation → respond. */
import type { RouteHandler } from '@hono/zod-openapi';
import { auditRequest } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';
import { requireMember, requireRole } from '../groups/index.ts';
import { handleInteraction } from './interactions.ts';
import { createLinkCode as createLinkCodeTx, unbindChannel } from './mutations.ts';
import type * as routes from './routes.ts';

export const createLinkCode: RouteHandler<typeof routes.createLinkCode, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');
  const { database, clock, config } = c.get('services');
  if (!config.discordInteractions) {
    throw new AppError(
      409,
      'discord_interactions_not_configured',
      'Discord interactions are not set up on this instance: the administrator sets DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID.',
    );
  }
  const result = await database.write(async (tx) => {
    const r = await createLinkCodeTx(tx, groupId, me.userId, clock.now());
    await auditRequest(
      c,
      { type: 'discord_link_code_created', userId: me.userId, groupId, detail: { expiresAt: r.expiresAt.toISOString() } },
      tx,
    );
    return r;
  });
  c.header('Cache-Control', 'no-store');
  return c.json({ code: result.code, expiresAt: result.expiresAt.toISOString() }, 201);
};

export const unlinkChannel: RouteHandler<typeof routes.unlinkChannel, AppEnv> = async (c) => {
  const { groupId } = c.req.valid('param');
  const me = await requireMember(c, groupId);
  await requireRole(c, me, 'admin');
  await c.get('services').database.write(async (tx) => {
    const removed = await unbindChannel(tx, groupId);
    if (removed) {
      await auditRequest(
        c,
        {
          type: 'discord_channel_unlinked',
          userId: me.userId,
          groupId,
          detail: { guildId: removed.guildId, channelId: removed.channelId },
        },
        tx,
      );
    }
  });
  return c.body(null, 204);
};

// Discord's answers are in Discord's format, not ours: the route declares no response schema.
export const interactions: RouteHandler<typeof routes.interactions, AppEnv> = (c) => handleInteraction(c) as never;
