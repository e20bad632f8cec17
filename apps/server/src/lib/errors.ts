/**
 * The one error type. Throw `new AppError(status, code, message, details?)`; `errorHandler` turns it
 * into `{error, code, details}`. Anything else becomes a generic 500 with the request id, logged with
 * its stack on the server and never sent to the client.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '@queuecrew/shared';
import { DatabaseBusyError, WriteGroupError } from '../db/errors.ts';
import type { AppEnv } from './context.ts';

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'This') => new AppError(404, 'not_found', `${what} was not found, or you do not have access to it.`);
export const unauthorized = () => new AppError(401, 'unauthorized', 'You are not signed in, or your session has expired. Please sign in.');
export const forbidden = (message = 'You do not have permission to do this. Ask a group admin.') => new AppError(403, 'forbidden', message);

/** Turns a zod issue path list into the `details` map of field → message. */
export function fieldDetails(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string; keys?: string[] }>) {
  // No prototype: a body key like `__proto__` or `constructor` must become an own entry (and so be named
  // in the 400), not find an inherited value and silently vanish.
  const details = Object.create(null) as Record<string, string>;
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const k of issue.keys) {
        const key = [...issue.path.map(String), k].join('.');
        details[key] ??= 'This field is not allowed.';
      }
      continue;
    }
    const key = issue.path.map(String).join('.') || '_';
    details[key] ??= issue.message;
  }
  return details;
}

export function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  if (err instanceof DatabaseBusyError) {
    return errorResponse(c, new AppError(503, 'database_busy', 'The server is busy. Please try again in a moment.'));
  }
  if (err instanceof WriteGroupError) {
    return errorResponse(c, new AppError(503, 'write_failed', 'The change was not saved. Please try again.'));
  }
  const requestId = c.get('requestId');
  if (err instanceof AppError) {
    const body: ErrorBody = { error: err.message, code: err.code };
    if (err.details !== undefined) body.details = err.details;
    if (err.status >= 500) body.requestId = requestId;
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(body, err.status);
  }
  // Hono's own HTTPException (e.g. from bodyLimit or the body parser) carries a safe status.
  if (err instanceof HTTPException && err.status >= 400 && err.status < 500) {
    const status = err.status;
    const known: Record<number, [string, string]> = {
      400: ['bad_request', 'The request could not be read. Send valid JSON.'],
      413: ['payload_too_large', 'The request body is too large (the limit is 64 KiB).'],
      415: ['unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.'],
    };
    const [code, message] = known[status] ?? ['bad_request', 'The request was not valid.'];
    return c.json({ error: message, code }, status as ContentfulStatusCode);
  }
  c.get('logger')?.error({ err }, 'unhandled error');
  return c.json(
    {
      error: 'Something went wrong on our side. Please try again; if it keeps happening, quote this request id.',
      code: 'internal_error',
      requestId,
    },
    500,
  );
}
