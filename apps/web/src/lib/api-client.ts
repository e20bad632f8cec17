/**
 * The one way the web app talks to the API: same-origin cookies, JSON, the error format of docs/api.md turned
 * into `ApiError`, and silent session renewal. On a 401 the client refreshes the session ONCE (one refresh
 * in flight per tab, and across tabs through the Web Locks API, because the server revokes the whole session
 * when a rotated refresh token is presented twice), retries the request, and only then gives up and sends
 * the person to sign-in, keeping where they were.
 */
import type { ApiBody, ApiResponse, ApiRoute, ErrorBody } from '@queuecrew/shared';

// A hand check rather than ErrorSchema.safeParse: a runtime import of @queuecrew/shared would put zod
// into the first-load bundle (types come from there with `import type`, which costs nothing).
function isApiErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).error === 'string' &&
    typeof (value as ErrorBody).code === 'string'
  );
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
    /** Seconds from a `Retry-After` header (429), when the server sent one. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field → message map of a 400 answer (empty for other errors). */
  get fieldErrors(): Record<string, string> {
    if (typeof this.details !== 'object' || this.details === null) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.details)) if (typeof v === 'string') out[k] = v;
    return out;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Do not send the person to sign-in on a final 401 (e.g. "who am I?" on a public page). */
  allow401?: boolean;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {};
/** Called once the session is gone for good (refresh failed); the router sends the person to sign-in. */
export function setUnauthenticatedHandler(fn: UnauthenticatedHandler) {
  onUnauthenticated = fn;
}
/** Another channel (the live socket) learned from a real 401 that the session is over: same as a final 401. */
export function sessionEnded() {
  onUnauthenticated();
}

const browserTimezone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
})();

let refreshInFlight: Promise<boolean> | null = null;

/**
 * `true`: renewed. `false`: the server said 401, the session is over. Anything else (network down, the
 * server restarting, a 5xx or 429) throws an `ApiError`: that is no answer about the session, and must
 * never be read as "signed out" (the live client would give up for good).
 */
async function doRefresh(): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach QueueCrew. Check your connection and try again.');
  }
  if (res.ok) return true;
  if (res.status === 401) return false;
  throw await toError(res);
}

/**
 * One refresh for every request that got a 401 at the same time; serialised across tabs when possible.
 * Resolves `false` only on a real 401; rejects when the server could not be asked (see `doRefresh`).
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= (async () => {
    try {
      if (typeof navigator !== 'undefined' && 'locks' in navigator && navigator.locks) {
        return await navigator.locks.request('queuecrew-refresh', doRefresh);
      }
      return await doRefresh();
    } finally {
      // Let the requests that joined this refresh see its result before a new one may start.
      queueMicrotask(() => {
        refreshInFlight = null;
      });
    }
  })();
  return refreshInFlight;
}

const NO_REFRESH = ['/api/auth/login', '/api/auth/register', '/api/auth/refresh', '/api/auth/logout'];

function buildUrl(path: string, query?: Record<string, string | undefined>) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (browserTimezone) headers['X-Timezone'] = browserTimezone;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(buildUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network_error', 'Could not reach QueueCrew. Check your connection and try again.');
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const retry = Number(res.headers.get('Retry-After'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  if (isApiErrorBody(body)) return new ApiError(res.status, body.code, body.error, body.details, body.requestId, retryAfter);
  if (res.status === 429) return new ApiError(429, 'rate_limited', 'Too many attempts. Wait a minute, then try again.');
  if (res.status >= 500) return new ApiError(res.status, 'server_error', 'Something went wrong on our side. Try again in a moment.');
  return new ApiError(res.status, 'unexpected', `The request failed (HTTP ${res.status}). Reload the page and try again.`);
}

export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(path, opts);
  if (res.status === 401 && !NO_REFRESH.includes(path)) {
    const body = (await res
      .clone()
      .json()
      .catch(() => undefined)) as { code?: string } | undefined;
    // A wrong TOTP code or password is a 401 too, but a renewed session would not change the answer.
    if (body?.code !== 'totp_required' && body?.code !== 'invalid_credentials' && (await refreshSession())) {
      res = await send(path, opts);
    }
    if (res.status === 401 && !opts.allow401) onUnauthenticated();
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `{groupId}` and `{date}` of `/api/groups/{groupId}/nights/{date}`. */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;
type RouteParams<R extends ApiRoute> = PathParams<R extends `${string} ${infer Path}` ? Path : never>;

type CallOptions<R extends ApiRoute> = Omit<RequestOptions, 'method' | 'body'> &
  ([RouteParams<R>] extends [never] ? { params?: never } : { params: Record<RouteParams<R>, string> }) &
  ([ApiBody<R>] extends [never] ? { body?: never } : { body: ApiBody<R> });

/** Options are required when the route has path parameters or a body. */
type CallArgs<R extends ApiRoute> = [RouteParams<R> | ApiBody<R>] extends [never] ? [opts?: CallOptions<R>] : [opts: CallOptions<R>];

/**
 * The typed way to call the API: `call('GET /api/groups/{groupId}', { params: { groupId } })`. The route
 * names an operation of `apiContract` (@queuecrew/shared), which fixes its path parameters, its body and
 * what it answers; the parameters are URL-encoded into the path.
 */
export function call<R extends ApiRoute>(route: R, ...[opts]: CallArgs<R>): Promise<ApiResponse<R>> {
  const space = route.indexOf(' ');
  const method = route.slice(0, space) as NonNullable<RequestOptions['method']>;
  const { params, body, ...rest } = (opts ?? {}) as CallOptions<R> & { params?: Record<string, string>; body?: unknown };
  const path = route.slice(space + 1).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
  return apiRequest<ApiResponse<R>>(path, { ...rest, method, body });
}

/** A message for any thrown value, for places that show errors to people. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return 'Something unexpected happened. Reload the page and try again.';
}

/**
 * For places with no form field to put a 400's field messages next to (a page that failed to load, a
 * button): the server's own reasons (`details`, e.g. `{date: "…"}`) instead of its generic sentence.
 */
export function detailedErrorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const reasons = Object.values(e.fieldErrors);
    if (reasons.length > 0) return reasons.join(' ');
  }
  return errorMessage(e);
}
