/** Live updates: one vote fanned out to 1,000 subscribed sockets, against a raw `ws` broadcast in the same run (bench/ws-fanout.ts). */
import { registerCase, scriptFigures } from '../registry.ts';

registerCase({
  name: 'ws-fanout',
  description: 'One vote to 1,000 subscribed WebSockets: p50/p99 delivery, p99 ratio to a raw ws broadcast, server RSS',
  // Its own servers and sockets (see the script); bounded by its deadlines and this timeout.
  run: () => scriptFigures('bench/ws-fanout.ts', 270_000),
});
