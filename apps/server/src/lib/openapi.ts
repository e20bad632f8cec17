/** Router factory: every feature router validates with zod and reports errors in the one error format. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError, fieldDetails } from './errors.ts';
import type { AppEnv } from './context.ts';

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError(
          400,
          'invalid_input',
          'Some fields are not valid. Check the details and try again.',
          fieldDetails(result.error.issues),
        );
      }
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'You are not signed in, or your session has expired. Please sign in.' }),
    code: z.string().openapi({ example: 'unauthorized' }),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  })
  .openapi('Error');

const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

/** The error responses most routes can give, for the OpenAPI document. */
export const commonErrors = {
  400: err('Invalid input: details maps each field to a message'),
  401: err('Not signed in'),
  403: err('Signed in but not allowed'),
  404: err('Not found, or not visible to the caller'),
  409: err('Conflict'),
  413: err('Body too large (64 KiB)'),
  415: err('Body is not JSON'),
  429: err('Rate limited: see Retry-After'),
  500: err('Server error, with a request id'),
  503: err('Busy: try again'),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** Path ids are opaque strings; anything longer than this cannot be one of ours. */
export const idParam = (name: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: 'path' }, example: 'vQw3l2nq7cGm2eB3L1zXyA' });

export const GroupParams = z.object({ groupId: idParam('groupId') });
