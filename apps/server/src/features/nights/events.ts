/**
 * Live events of nights, published after the commit (also from the closer, which has no request). A
 * publish failure must not undo a committed close, so it is logged instead.
 */
import type { GroupEvent } from '../../lib/hub.ts';
import type { Services } from '../../services.ts';
import { forViewer, type NightDto } from './data.ts';

export async function publishGroupEvents(services: Pick<Services, 'hub' | 'logger'>, events: GroupEvent[]): Promise<void> {
  for (const event of events) {
    try {
      await services.hub.publish(event);
    } catch (err) {
      services.logger.error({ err, event: event.type, groupId: event.groupId }, 'live event publish failed');
    }
  }
}

/** `night_updated` / `night_closed` to every member: the night without anyone's `myRsvp`. */
export function nightEvent(type: 'night_updated' | 'night_closed', night: NightDto): GroupEvent {
  return { type, groupId: night.groupId, data: forViewer(night, null) };
}
