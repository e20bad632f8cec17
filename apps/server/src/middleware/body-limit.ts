/**
 * The request body limit (413), decided from the request's framing headers wherever they are
 * authoritative, so a bodiless request (every GET) never touches `c.req.raw.body`: reading it makes
 * @hono/node-server build a full WHATWG `Request` for the lightweight one, measured at 10–18 % of the
 * CPU of an /api request (issue 15; docs/decisions/113-header-decided-body-limit.md).
 *
 * On HTTP/1.x through Node's own parser the framing is the truth: a request with neither
 * `Content-Length` nor `Transfer-Encoding` has no body, and one with `Content-Length` has exactly that
 * many bytes (Node refuses a request that carries both). So:
 * - neither header: no body, nothing to check;
 * - `Content-Length` only: over the limit → 413 before a byte is read, else pass;
 * - `Transfer-Encoding` (chunked): hono's bodyLimit counts the stream and refuses at the first byte over.
 * Anything else (app.request() in tests, HTTP/2) goes through hono's bodyLimit as before.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as streamBodyLimit } from 'hono/body-limit';

export function headerBodyLimit(options: { maxSize: number; onError: (c: Context) => never }): MiddlewareHandler {
  const counted = streamBodyLimit(options);
  // Not async: the bodiless case (every GET) passes straight to `next()`; the 413 is thrown into the caller.
  return (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (!incoming || incoming.httpVersionMajor !== 1) return counted(c, next);
    const { headers } = incoming;
    if (headers['transfer-encoding'] !== undefined) return counted(c, next);
    const length = headers['content-length'];
    if (length === undefined) return next();
    // Node's parser already refused a Content-Length that is not a number.
    if (Number(length) > options.maxSize) options.onError(c);
    return next();
  };
}
