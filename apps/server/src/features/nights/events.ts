/**
 * Live events of nights, published after the commit with `publishAfterCommit` (lib/hub.ts), from a
 * request or from the closer, which has no request.
 */
import { publishAfterCommit, type GroupEvent } from '../../lib/hub.ts';
import type { Services } from '../../services.ts';
import { forViewer, type NightDto } from './data.ts';

export async function publishGroupEvents(services: Pick<Services, 'hub' | 'logger'>, events: GroupEvent[]): Promise<void> {
  await publishAfterCommit(services.hub, services.logger, events);
}

/** `night_updated` / `night_closed` to every member: the night without anyone's `myRsvp`. */
export function nightEvent(type: 'night_updated' | 'night_closed', night: NightDto): GroupEvent {
  return { type, groupId: night.groupId, data: forViewer(night, null) };
}
