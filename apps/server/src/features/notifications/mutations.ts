/**
 * Creating and reading-off notifications. `insertNotifications` runs inside the caller's write
 * transaction (the event it tells about and its notifications commit together); the caller publishes
 * them with `publishNotifications` after the commit, each to its one user's sockets.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { schema, type Tx } from '../../db/client.ts';
import { publishAfterCommit, type Hub } from '../../lib/hub.ts';
import { newId } from '../../lib/ids.ts';
import type { Logger } from 'pino';
import { toNotificationDto, type NotificationDto, type NotificationRow } from './data.ts';

export interface NewNotification {
  userId: string;
  kind: NotificationRow['kind'];
  groupId: string | null;
  day: string | null;
  title: string;
  body: string;
  url: string;
}

export interface CreatedNotification {
  userId: string;
  notification: NotificationDto;
}

/** SQLite bounds bound parameters: insert in chunks. */
const CHUNK = 50;

export async function insertNotifications(tx: Tx, items: NewNotification[], now: Date): Promise<CreatedNotification[]> {
  const created: CreatedNotification[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const rows = await tx
      .insert(schema.notifications)
      .values(items.slice(i, i + CHUNK).map((item) => ({ id: newId(), ...item, createdAt: now })))
      .returning();
    for (const r of rows) created.push({ userId: r.userId, notification: toNotificationDto(r) });
  }
  return created;
}

/** Marks the given notifications (only the user's own) or all of them read; returns how many changed. */
export async function markRead(tx: Tx, userId: string, target: { ids: string[] } | { all: true }, now: Date): Promise<number> {
  const n = schema.notifications;
  const mine = and(eq(n.userId, userId), isNull(n.readAt));
  const rows = await tx
    .update(n)
    .set({ readAt: now })
    .where('all' in target ? mine : and(mine, inArray(n.id, target.ids)))
    .returning({ id: n.id });
  return rows.length;
}

/**
 * Sends each created notification as a `notification` event to its user only (the hub's user channel).
 * Runs after the commit; a publish failure is logged, never turned into an error (the row is there).
 */
export async function publishNotifications(services: { hub: Hub; logger: Logger }, created: CreatedNotification[]): Promise<void> {
  const userEvents = created.map(({ userId, notification }) => ({
    type: 'notification' as const,
    userId,
    groupId: notification.groupId,
    data: notification,
  }));
  await publishAfterCommit(services.hub, services.logger, [], [], userEvents);
}
