/**
 * Runs middleware in order as one middleware: `chain(a, b, c)` behaves as `app.use(a); app.use(b);
 * app.use(c)` on the same path — each runs when the one before calls `next()`, an error thrown by any of
 * them (or by the route) propagates out through the ones before it exactly as it would between separate
 * layers, and becomes the error response at this layer — with one router entry and one dispatch step
 * instead of one per middleware (docs/decisions/119-fixed-per-request-cost.md).
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { AppEnv } from '../lib/context.ts';

export function chain(...handlers: MiddlewareHandler<AppEnv>[]): MiddlewareHandler<AppEnv> {
  return (c: Context<AppEnv>, next: Next) => {
    const step = async (i: number): Promise<void> => {
      const handler = handlers[i];
      if (!handler) return next();
      await handler(c, () => step(i + 1));
    };
    return step(0);
  };
}
