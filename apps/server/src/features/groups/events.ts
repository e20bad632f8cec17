/** Live events of a request, published only after the transaction that caused them has committed. */
import type { Context } from 'hono';
import type { AppEnv } from '../../lib/context.ts';
import { publishAfterCommit, type ControlMessage, type GroupEvent } from '../../lib/hub.ts';

export async function publishEvents(c: Context<AppEnv>, events: GroupEvent[], controls: ControlMessage[] = []): Promise<void> {
  await publishAfterCommit(c.get('services').hub, c.get('logger'), events, controls);
}
