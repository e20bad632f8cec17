/** Router factory: every feature router validates with zod and reports errors in the one error format. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook, RouteConfig } from '@hono/zod-openapi';
import { ErrorSchema } from '@queuecrew/shared';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError, fieldDetails } from './errors.ts';
import type { AppEnv } from './context.ts';

const invalidInput: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw new AppError(
      400,
      'invalid_input',
      'Some fields are not valid. Check the details and try again.',
      fieldDetails(result.error.issues),
    );
  }
};

export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({ strict: false, defaultHook: invalidInput });
  validatePathAndQueryWithoutHeaders(router);
  return router;
}

type AnyHook = (result: { success: boolean; data: unknown; target: string } & object, c: Context) => unknown;

/**
 * The `param` and `query` validation of a route, as @hono/zod-openapi's own (zod-validator over hono's
 * `validator()`) does it — the same value, schema, hook, 400 answer and validated data, in the same
 * order (query, then param, after the route's middleware and before the header, cookie and body
 * validators) — without reading `Content-Type`. hono's `validator()` reads it for every target, and
 * on @hono/node-server that builds the request's whole WHATWG `Headers` (every raw header validated
 * and copied) for a GET that never looks at it. The route is registered for the OpenAPI document
 * exactly as `openapi()` registers it; `openapi()` then adds the rest of the route's validators.
 */
function validatePathAndQueryWithoutHeaders(router: OpenAPIHono<AppEnv>): void {
  const base = router.openapi;
  const patched = (route: RouteConfig, handler: unknown, hook?: AnyHook) => {
    const { middleware, hide, ...config } = route;
    const request = config.request;
    if (!request?.params && !request?.query) return base(route, handler as never, hook as never);
    if (!hide) router.openAPIRegistry.registerPath(config);
    const effectiveHook = hook ?? (router.defaultHook as AnyHook | undefined);
    const own: MiddlewareHandler[] = middleware ? (Array.isArray(middleware) ? [...middleware] : [middleware]) : [];
    const targets: Array<[Target, z.ZodType]> = [];
    if (request.query) targets.push(['query', request.query]);
    if (request.params) targets.push(['param', request.params]);
    own.push(pathAndQueryValidator(targets, effectiveHook));
    const { params: _params, query: _query, ...rest } = request;
    return base({ ...config, request: rest, middleware: own, hide: true } as RouteConfig, handler as never, hook as never);
  };
  router.openapi = patched as unknown as typeof base;
}

type Target = 'param' | 'query';

/** zod-validator's middleware for each target in turn (one middleware step for both). */
function pathAndQueryValidator(targets: ReadonlyArray<[Target, z.ZodType]>, hook: AnyHook | undefined): MiddlewareHandler {
  return async (c, next) => {
    for (const [target, schema] of targets) {
      // hono's validator(): the route's params, or every query key with its one value or its list.
      const value =
        target === 'param'
          ? c.req.param()
          : Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])));
      // zod-validator: the hook sees every outcome; a Response (or { response }) from it is the answer.
      const result = await schema.safeParseAsync(value);
      if (hook) {
        let hookResult = hook({ data: value, ...result, target }, c) as Response | { response?: Response } | undefined;
        if (hookResult instanceof Promise) hookResult = (await hookResult) as typeof hookResult;
        if (hookResult) {
          if (hookResult instanceof Response) return hookResult;
          if ('response' in hookResult) return hookResult.response;
        }
      }
      if (!result.success) return c.json(result, 400);
      c.req.addValidatedData(target, result.data as object);
    }
    await next();
  };
}

export { ErrorSchema };

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

/** Operations open to anyone: the default for every other operation is the session cookie or a bearer token. */
export const publicRoute = { security: [] as Array<Record<string, string[]>> };

/** What each tag (one per feature) is about; a tag used by a route but missing here gets a generic line. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Accounts, sign-in, sessions and two-factor authentication',
  users: 'The signed-in user: profile, export, activity, deletion',
  push: 'Web Push devices and notification preferences',
  discord: 'Discord sign-in, interactions and channel linking',
  steam: 'Steam account linking and owned-games import',
  calendar: 'Private calendar feed of a user’s game nights',
  admin: 'Instance administration (instance admins only)',
  suggestions: 'Tonight’s suggestions, votes, results and history',
  invites: 'Group invite links',
  groups: 'Groups, members and roles',
  nights: 'Game nights: times, RSVPs, closing and the winner',
  games: 'The group’s game library',
  notifications: 'In-app notifications',
  ops: 'Health, readiness, metrics and the privacy notice',
};

type Json = Record<string, unknown>;
type Operation = Json & {
  operationId?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, Json>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const INT32 = 2 ** 31;

const errorRef = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** `get /api/groups/{groupId}/games` → `getGroupsByGroupIdGames`: deterministic, and unique because method + path is. */
export function deriveOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s && s !== 'api')
    .map((s) => (s.startsWith('{') ? `by-${s.slice(1, -1)}` : s))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** Integers without a format get the one their bounds fit (JavaScript's safe integers fit int64). */
function addIntegerFormats(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addIntegerFormats(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  const types = Array.isArray(schema['type']) ? (schema['type'] as unknown[]) : [schema['type']];
  if (types.includes('integer') && schema['format'] === undefined) {
    const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : -Infinity;
    const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : Infinity;
    schema['format'] = min >= -INT32 && max < INT32 ? 'int32' : 'int64';
  }
  for (const value of Object.values(schema)) addIntegerFormats(value);
}

/**
 * Completes the generated OpenAPI document with what every route shares, so a new route gets it without
 * repeating it: servers, security schemes and the default requirement (routes spread `publicRoute` to opt
 * out), an operationId and a tag on every operation, the error responses that can always occur (400 where
 * there is input, 401 where a session is needed, 429 where a rate limit can apply, 500 everywhere), the
 * `RateLimit` headers the rate-limit middleware sends on /api responses, and a format on every integer.
 */
export function completeDocument(generated: object, options: { appUrl: string; environment: string }): Json {
  const doc = JSON.parse(JSON.stringify(generated)) as Json & { paths: Record<string, Record<string, Operation>>; components?: Json };
  const environment = options.environment === 'development' ? 'local development' : options.environment;
  doc['servers'] = [{ url: options.appUrl, description: `This instance (${environment})`, 'x-internal': false }];
  const components = (doc.components ??= {}) as Json;
  components['securitySchemes'] = {
    cookieAuth: {
      type: 'apiKey',
      in: 'cookie',
      name: 'qc_access',
      description:
        'The access cookie set by sign-in (`__Host-qc_access` over https). Unsafe methods also need a same-origin Origin header.',
    },
    refreshCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: 'qc_refresh',
      description: 'The refresh cookie (`__Secure-qc_refresh` over https), sent only to /api/auth/refresh.',
    },
    metricsToken: {
      type: 'http',
      scheme: 'bearer',
      description: 'METRICS_TOKEN (an opaque secret, not a JWT), for Prometheus scraping /metrics.',
    },
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'The same short-lived access token as a bearer token. JWTs follow RFC8725: HS256 only, typ JWT, issuer, audience and expiry required and checked.',
    },
  };
  const headers = (components['headers'] ??= {}) as Json;
  headers['RateLimit-Policy'] = {
    description:
      'The rate-limit rules this request counted against (IETF draft): `"name";q=<limit>;w=<window seconds>`. Sent only when a rule applied.',
    schema: { type: 'string', maxLength: 1024, pattern: '^"[a-z_]+";q=\\d+;w=\\d+(, "[a-z_]+";q=\\d+;w=\\d+)*$' },
  };
  headers['RateLimit'] = {
    description:
      'Where this request stands against each of those rules: `"name";r=<remaining>;t=<seconds to reset>`. Sent only when a rule applied.',
    schema: { type: 'string', maxLength: 1024, pattern: '^"[a-z_]+";r=\\d+;t=\\d+(, "[a-z_]+";r=\\d+;t=\\d+)*$' },
  };
  headers['Retry-After'] = {
    description: 'Seconds to wait before trying again.',
    required: true,
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 },
  };
  const defaultSecurity: Array<Record<string, string[]>> = [{ cookieAuth: [] }, { bearerAuth: [] }];
  const usedTags = new Set<string>();
  const operationIds = new Set<string>();

  for (const [path, item] of Object.entries(doc.paths)) {
    const isApi = path.startsWith('/api/');
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      op.operationId ??= deriveOperationId(method, path);
      if (operationIds.has(op.operationId)) throw new Error(`Duplicate operationId ${op.operationId} (${method} ${path})`);
      operationIds.add(op.operationId);
      if (!op.tags?.length) op.tags = [isApi ? (path.split('/')[2] ?? 'api') : 'ops'];
      for (const tag of op.tags) usedTags.add(tag);
      op.security ??= defaultSecurity;
      const secured = op.security.length > 0;
      const responses = op.responses;
      if ((op.parameters?.length || op.requestBody) && !responses['400']) {
        responses['400'] = errorRef('Invalid input: details maps each field to a message');
      }
      if (secured && !responses['401']) responses['401'] = errorRef('Not signed in');
      if (isApi && (secured || method !== 'get') && !responses['429']) responses['429'] = errorRef('Rate limited: see Retry-After');
      responses['500'] ??= errorRef('Server error, with a request id');
      for (const [status, response] of Object.entries(responses)) {
        if (!isApi || !/^[24]/.test(status) || '$ref' in response) continue;
        response['headers'] = {
          ...(response['headers'] as Json | undefined),
          'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
          RateLimit: { $ref: '#/components/headers/RateLimit' },
          ...(status === '429' ? { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } : {}),
        };
      }
    }
  }
  doc['tags'] = [...usedTags].sort().map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? `The ${name} feature` }));
  addIntegerFormats(doc);
  return doc;
}
