/**
 * Builds the Hono app. The middleware order below is part of the security design: each line says why
 * it sits where it sits. Routers are mounted after it.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
// Routers come from each feature's router.ts: a barrel (index.ts) carries only what other features use.
import { adminRouter } from './features/admin/router.ts';
import { authRouter } from './features/auth/router.ts';
import { calendarRouter } from './features/calendar/router.ts';
import { suggestionsRouter } from './features/suggestions/router.ts';
import { discordSignInRouter } from './features/discord-signin/router.ts';
import { discordInteractionsRouter } from './features/discord-interactions/router.ts';
import { invitesRouter } from './features/invites/router.ts';
import { nightsRouter } from './features/nights/router.ts';
import { notificationsRouter } from './features/notifications/router.ts';
import { gamesRouter } from './features/games/router.ts';
import { groupsRouter } from './features/groups/router.ts';
import { opsRouter } from './features/ops/router.ts';
import { pushRouter } from './features/push/router.ts';
import { statsRouter } from './features/stats/router.ts';
import { steamRouter } from './features/steam/router.ts';
import { usersRouter } from './features/users/router.ts';
import type { Realtime } from './features/realtime/index.ts';
import type { AppEnv } from './lib/context.ts';
import { AppError, errorResponse, notFound } from './lib/errors.ts';
import { headerBodyLimit } from './middleware/body-limit.ts';
import { chain } from './middleware/chain.ts';
import { edge } from './middleware/edge.ts';
import { originCheck } from './middleware/origin-check.ts';
import { requireJson } from './middleware/require-json.ts';
import { session } from './middleware/session.ts';
import { rateLimits } from './middleware/rate-limits.ts';
import { DOCS_CSS_PATH, docsPage, renderApiReference, type ApiReference } from './lib/docs-page.ts';
import { completeDocument } from './lib/openapi.ts';
import { webApp } from './middleware/web-app.ts';
import type { Services } from './services.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;
/** How long a request for /api/docs waits for the first rendering of the reference. */
const DOCS_WAIT_MS = 20_000;

/** Resolves when `promise` settles or after `ms`, whichever is first; never rejects. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}

export function createApp(services: Services, options: { realtime?: Realtime } = {}) {
  const app = new OpenAPIHono<AppEnv>({ strict: false });

  // 0–3, one middleware (middleware/edge.ts), in this order:
  // 0. Services first: everything below reads config, db and logger from the context.
  // 1. Request id + client IP + per-request logger: every later line, log and error carries the id.
  // 2. Access log wraps everything else, so it sees the final status, including errors.
  // 2b. HTTP metrics (latency, count by route pattern and status) wrap the rest for the same reason.
  // 3. Security headers on every response, error responses included.
  app.use(edge(services));
  // 4–8, one middleware on /api/* (middleware/chain.ts), in this order:
  // 4. Body limit before anything reads the body (413), from the framing headers where they are the truth.
  // 5. CSRF: refuse cross-site state-changing requests before any work is done for them.
  // 6. JSON only for bodies (415) before validation tries to parse them.
  // 7. Who is calling: resolved once, from the database, before any route runs.
  // 8. Rate limits after the session (per-user budgets need the user), before any handler does work (429).
  app.use(
    '/api/*',
    chain(
      headerBodyLimit({
        maxSize: BODY_LIMIT_BYTES,
        onError: () => {
          throw new AppError(413, 'payload_too_large', 'The request body is too large (the limit is 64 KiB).');
        },
      }),
      originCheck,
      requireJson,
      session,
      rateLimits,
    ),
  );

  app.route('/', opsRouter);
  app.route('/api/auth', authRouter);
  // Discord sign-in (/api/auth/discord…, /api/auth/config) and unlinking (/api/users/me/discord).
  app.route('/api', discordSignInRouter);
  // Web Push devices and preferences (/api/push/*, /api/users/me/notification-settings).
  app.route('/api', pushRouter);
  // Discord HTTP interactions (/api/discord/interactions, signed by Discord) and channel linking
  // (/api/groups/:groupId/discord/…). The interactions endpoint reads the raw body itself (after the body
  // limit above) to verify its Ed25519 signature; see the origin check for why it carries no Origin.
  app.route('/api', discordInteractionsRouter);
  // Steam linking (/api/auth/steam…, /api/users/me/steam): before the users router, which owns /api/users.
  app.route('/api', steamRouter);
  app.route('/api/users', usersRouter);
  // Calendar feed: /api/users/me/calendar (signed in) and GET /api/calendar/:token.ics, where the URL is
  // the secret (no cookie; the origin check passes GETs; the access log masks the token).
  app.route('/api', calendarRouter);
  // Instance administration: every route re-checks isInstanceAdmin from the database (404 for others).
  app.route('/api/admin', adminRouter);
  app.route('/api', suggestionsRouter);
  app.route('/api', invitesRouter);
  app.route('/api', groupsRouter);
  app.route('/api', nightsRouter);
  app.route('/api', statsRouter);
  // Game library (/api/groups/:groupId/games, /api/games/:gameId…): membership checked per route.
  app.route('/api', gamesRouter);
  app.route('/api', notificationsRouter);

  // Live updates (GET /api/ws): only when the server accepts upgrades (server.ts); app.request() tests have none.
  options.realtime?.mount(app);

  // The served contract: generated from the routes' schemas, completed once with what every route shares.
  let document: object | undefined;
  const openApiDocument = () =>
    (document ??= completeDocument(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'QueueCrew API',
          version: '1.0.0',
          description: 'The HTTP contract of QueueCrew. The human-readable contract is docs/api.md.',
          contact: { name: 'This QueueCrew instance', url: `${services.config.appUrl}/api/docs` },
        },
      }),
      { appUrl: services.config.appUrl, environment: services.config.env },
    ));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  // The reference page, rendered from that document once per process, started by the first request,
  // which waits for it up to DOCS_WAIT_MS; after that /api/docs says it is being prepared.
  let reference: ApiReference | undefined;
  let rendering: Promise<ApiReference> | undefined;
  const apiReference = () =>
    (rendering ??= renderApiReference(openApiDocument()).then(
      (r) => (reference = r),
      (err: unknown) => {
        rendering = undefined;
        services.logger.error({ err }, 'rendering the API reference failed');
        throw err;
      },
    ));
  app.get('/api/docs', async (c) => {
    if (!reference) await waitAtMost(apiReference(), DOCS_WAIT_MS);
    return c.html(docsPage(reference));
  });
  app.get(DOCS_CSS_PATH, async (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body((await apiReference()).css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  app.all('/api/*', () => {
    throw notFound('This endpoint');
  });
  app.route('/', webApp(services));

  // Answer, do not throw: an error thrown by the not-found handler skips the "after next()" half of every
  // middleware above (security headers), so a POST / or OPTIONS /healthz went out with no CSP at all.
  app.notFound((c) => errorResponse(c, notFound('This page')));
  app.onError((err, c) => errorResponse(c, err));
  return app;
}

export type App = ReturnType<typeof createApp>;
