/**
 * chain(a, b, c) behaves as app.use(a); app.use(b); app.use(c): order, code after `next()`, and an error
 * thrown by any of them — synchronously or as a rejection — reaching the ones before it and becoming the
 * app's error answer (the route's own error is an answer before they resume, as between hono layers).
 * Handlers may be plain functions that return `next()`.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../lib/context.ts';
import { chain } from './chain.ts';

function appWith(handlers: MiddlewareHandler<AppEnv>[], seen: string[], route: () => Response | Promise<Response>) {
  const app = new Hono<AppEnv>();
  app.onError((err, c) => c.text(`error: ${err.message}`, 500));
  app.use('*', async (_c, next) => {
    try {
      await next();
    } finally {
      seen.push('outer after');
    }
  });
  app.use('*', chain(...handlers));
  app.get('/', route);
  return app;
}

const wrap =
  (name: string, seen: string[]): MiddlewareHandler<AppEnv> =>
  async (_c, next) => {
    seen.push(`${name} before`);
    try {
      await next();
      seen.push(`${name} after`);
    } catch (err) {
      seen.push(`${name} saw ${(err as Error).message}`);
      throw err;
    }
  };

describe('chain', () => {
  it('runs handlers in order, plain and async, with their code after next()', async () => {
    const seen: string[] = [];
    const plain: MiddlewareHandler<AppEnv> = (_c, next) => {
      seen.push('plain');
      return next();
    };
    const app = appWith([wrap('a', seen), plain, wrap('b', seen)], seen, () => new Response('ok'));
    const res = await app.request('/');
    expect(await res.text()).toBe('ok');
    expect(seen).toEqual(['a before', 'plain', 'b before', 'b after', 'a after', 'outer after']);
  });

  it.each([
    ['thrown synchronously by a plain handler', 'sync'],
    ['rejected by an async handler', 'async'],
    ['thrown by the route', 'route'],
  ])('an error %s becomes the error answer, seen by the handlers before it as hono shows it', async (_name, where) => {
    const seen: string[] = [];
    const failing: MiddlewareHandler<AppEnv> =
      where === 'sync'
        ? () => {
            throw new Error('boom');
          }
        : where === 'async'
          ? async () => {
              await Promise.resolve();
              throw new Error('boom');
            }
          : (_c, next) => next();
    const app = appWith([wrap('a', seen), failing], seen, () => {
      throw new Error('boom');
    });
    const res = await app.request('/');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('error: boom');
    // A middleware's error reaches the ones before it; the route's error is already an answer when they resume.
    expect(seen).toEqual(['a before', where === 'route' ? 'a after' : 'a saw boom', 'outer after']);
  });

  it('resolves to nothing, so hono never takes its value for the response', async () => {
    const app = new Hono<AppEnv>();
    app.use(
      '*',
      chain((_c, next) => next()),
    );
    app.get('/', (c) => c.text('fine'));
    const res = await app.request('/');
    expect(await res.text()).toBe('fine');
    expect((await app.request('/missing')).status).toBe(404);
  });
});
