/** Reading a user's in-app notifications (docs/api.md "Notifications"). */
import type { z } from '@hono/zod-openapi';
import { NotificationSchema } from '@queuecrew/shared';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { schema, type Db } from '../../db/client.ts';

export { NotificationSchema };

export type NotificationDto = z.infer<typeof NotificationSchema>;

export type NotificationRow = typeof schema.notifications.$inferSelect;

/** How many notifications one list answer carries (newest first). */
export const LIST_LIMIT = 100;

export function toNotificationDto(r: NotificationRow): NotificationDto {
  return {
    id: r.id,
    kind: r.kind,
    groupId: r.groupId,
    date: r.day,
    title: r.title,
    body: r.body,
    url: r.url,
    createdAt: r.createdAt.toISOString(),
    readAt: r.readAt?.toISOString() ?? null,
  };
}

/** The user's newest notifications (only unread ones with `unreadOnly`); uses notifications_user_idx. */
export async function listNotifications(db: Db, userId: string, unreadOnly: boolean): Promise<NotificationDto[]> {
  const n = schema.notifications;
  const rows = await db
    .select()
    .from(n)
    .where(unreadOnly ? and(eq(n.userId, userId), isNull(n.readAt)) : eq(n.userId, userId))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(LIST_LIMIT);
  return rows.map(toNotificationDto);
}
