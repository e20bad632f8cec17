/**
 * The closer: a loop in every server instance that closes nights whose deadline has passed and sends
 * the reminders that are due (docs/decisions/100-game-nights-closer.md). Each tick is two indexed
 * queries when nothing is due (nights(status, closes_at) and nights(status, remind_at)); each due night
 * is handled in its own write transaction that reads the night again under the writer lock, so a
 * second instance racing on it finds it closed and does nothing. A failed close (e.g. busy) rolls back
 * whole and is retried by the next tick.
 */
import { and, asc, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import { schema } from '../../db/client.ts';
import type { Services } from '../../services.ts';
import { findGroup } from '../groups/index.ts';
import { publishNotifications } from '../notifications/index.ts';
import { nightDto, type NightDto } from './data.ts';
import { nightEvent, publishGroupEvents } from './events.ts';
import { closeNightTx, remindTx } from './mutations.ts';
import { IntervalLoop } from '../../lib/interval-loop.ts';

export interface NightCloserOptions {
  /** How often the loop looks for due nights. */
  intervalMs: number;
  /** At most this many nights per tick (the rest come next tick). */
  batchSize: number;
}

export const DEFAULT_CLOSER_OPTIONS: NightCloserOptions = { intervalMs: 5_000, batchSize: 50 };

/**
 * Closes one night and, after the commit, tells the group (`night_closed`) and each notified member.
 * `due`: only if it is open and past its deadline (the closer); `now`: an admin's /close.
 * Null when there was nothing to close.
 */
export async function closeAndPublish(
  services: Services,
  groupId: string,
  day: string,
  now: Date,
  mode: 'due' | 'now',
): Promise<NightDto | null> {
  const { database } = services;
  const result = await database.write(async (tx) => {
    const group = await findGroup(tx, groupId);
    if (!group) return null;
    const closed = await closeNightTx(tx, group, day, now, mode);
    return closed ? { ...closed, group } : null;
  });
  if (!result) return null;
  const dto = await nightDto(database.db, result.group, result.night, null);
  await publishGroupEvents(services, [nightEvent('night_closed', dto)]);
  await publishNotifications(services, result.notifications);
  services.logger.info({ groupId, day, closeCount: result.night.closeCount, decidedBy: result.night.decidedBy, mode }, 'night closed');
  return dto;
}

export interface CloserTick {
  closed: number;
  reminded: number;
  failed: number;
}

export class NightCloser {
  readonly options: NightCloserOptions;
  readonly #loop: IntervalLoop;

  constructor(
    private readonly services: Services,
    options: Partial<NightCloserOptions> = {},
  ) {
    this.options = { ...DEFAULT_CLOSER_OPTIONS, ...options };
    this.#loop = new IntervalLoop('night closer', this.options.intervalMs, () => this.runOnce(), services.logger);
  }

  start(): void {
    this.#loop.start();
  }

  /** Stops the loop; the pass in flight finishes (what it could not finish stays due). */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }

  /** One deterministic pass at `now` (tests call it with a ManualClock's instant). */
  async runOnce(now: Date = this.services.clock.now()): Promise<CloserTick> {
    const { database, logger } = this.services;
    const n = schema.nights;
    const tick: CloserTick = { closed: 0, reminded: 0, failed: 0 };

    const due = await database.db
      .select({ groupId: n.groupId, day: n.day })
      .from(n)
      .where(and(eq(n.status, 'open'), lte(n.closesAt, now)))
      .orderBy(asc(n.closesAt))
      .limit(this.options.batchSize);
    for (const night of due) {
      try {
        if (await closeAndPublish(this.services, night.groupId, night.day, now, 'due')) tick.closed += 1;
      } catch (err) {
        // Rolled back whole (one transaction): the next tick tries again.
        tick.failed += 1;
        logger.error({ err, groupId: night.groupId, day: night.day }, 'night close failed; retrying next tick');
      }
    }

    const reminders = await database.db
      .select({ groupId: n.groupId, day: n.day })
      .from(n)
      .where(
        and(
          eq(n.status, 'open'),
          lte(n.remindAt, now),
          isNull(n.reminderSentAt),
          gt(n.closesAt, now),
          // Only nights with a suggestion are reminded about; the others never take the writer lock here.
          sql`EXISTS (SELECT 1 FROM ${schema.suggestions} s WHERE s.group_id = ${n.groupId} AND s.day = ${n.day})`,
        ),
      )
      .orderBy(asc(n.remindAt))
      .limit(this.options.batchSize);
    for (const night of reminders) {
      try {
        const created = await database.write(async (tx) => {
          const group = await findGroup(tx, night.groupId);
          return group ? remindTx(tx, group, night.day, now) : null;
        });
        if (created === null) continue;
        tick.reminded += 1;
        await publishNotifications(this.services, created);
      } catch (err) {
        tick.failed += 1;
        logger.error({ err, groupId: night.groupId, day: night.day }, 'night reminder failed; retrying next tick');
      }
    }
    return tick;
  }
}
