/**
 * Live events, published only after the transaction that caused them has committed. A publish failure
 * (e.g. Redis down) must not turn a committed write into an error response, so it is logged instead.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import type { ControlMessage, GroupEvent } from '../../lib/hub.ts';

export async function publishEvents(c: Context<AppEnv>, events: GroupEvent[], controls: ControlMessage[] = []): Promise<void> {
  const { hub } = c.get('services');
  for (const event of events) {
    try {
      await hub.publish(event);
    } catch (err) {
      c.get('logger').error({ err, event: event.type, groupId: event.groupId }, 'live event publish failed');
    }
  }
  for (const message of controls) {
    try {
      await hub.control(message);
    } catch (err) {
      c.get('logger').error({ err, control: message.type }, 'live control publish failed');
    }
  }
}
