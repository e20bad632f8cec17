/** Unsafe methods with a body must send JSON (415 otherwise); a JSON body must parse (400 otherwise). */
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../lib/errors.ts';
import type { AppEnv } from '../lib/context.ts';
import { requestHeader } from '../lib/request-headers.ts';

/** Bodiless methods pass without an async step of their own (the common case: every read). */
export const requireJson: MiddlewareHandler<AppEnv> = (c, next) => {
  const method = c.req.method;
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? next() : checkJson(c, next);
};

const checkJson = createMiddleware<AppEnv>(async (c, next) => {
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const length = requestHeader(c, 'content-length');
  const hasBody = (length !== undefined && length !== '0') || requestHeader(c, 'transfer-encoding') !== undefined;
  // A declared non-JSON type is refused even when the length is unknown; an undeclared type only with a body.
  if ((type !== '' || hasBody) && type !== 'application/json') {
    throw new AppError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  return next();
});
