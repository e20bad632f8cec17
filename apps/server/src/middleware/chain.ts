/**
 * Runs middleware in order as one middleware: `chain(a, b, c)` behaves as `app.use(a); app.use(b);
 * app.use(c)` on the same path — each runs when the one before calls `next()`, an error thrown by any of
 * them (or by the route) propagates out through the ones before it exactly as it would between separate
 * layers, and becomes the error response at this layer — with one router entry and one dispatch step
 * instead of one per middleware (docs/decisions/119-fixed-per-request-cost.md).
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { AppEnv } from '../lib/context.ts';

const settled = (): void => undefined;

export function chain(...handlers: MiddlewareHandler<AppEnv>[]): MiddlewareHandler<AppEnv> {
  const count = handlers.length;
  return (c: Context<AppEnv>, next: Next) => {
    // Not an async function per step: each handler's own promise (or value) is passed up as it is, so a
    // request pays one promise per handler instead of two. A handler that throws synchronously throws into
    // the `next()` call of the one before it, exactly where an awaited rejection would arrive.
    const step = (i: number): unknown => (i === count ? next() : handlers[i]!(c, () => step(i + 1) as Promise<void>));
    try {
      // Resolves to nothing, as an async middleware that awaited the chain would (never to hono's Context).
      return Promise.resolve(step(0)).then(settled);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  };
}
