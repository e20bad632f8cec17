/**
 * A small fake of the parts of Discord QueueCrew talks to, as a real HTTP server (node:http), for
 * development (`npm run dev`, `npm run fake-discord`) and tests. It behaves like Discord where it matters:
 *
 * - GET  /oauth2/authorize          consent page: pick a user (→ redirect with code & state) or Deny
 *                                   (→ error=access_denied). `?auto=<userId>` / `?auto=deny` or the
 *                                   FAKE_DISCORD_AUTO_USER env var answer without the page (e2e).
 * - POST /api/oauth2/token          authorization_code grant: client_id/secret (Basic or body), single-use
 *                                   code, redirect_uri match and PKCE S256, answering Discord's error bodies
 *                                   (400 {error:"invalid_grant"}, 401 {error:"invalid_client"}).
 * - GET  /api/users/@me             the user of a Bearer access token.
 * - POST /api/webhooks/:id/:token   records webhook posts (204, or 200 + message with ?wait=true).
 * - POST /api/oauth2/token          also the client_credentials grant (HTTP Basic client id/secret only,
 *                                   scope must be `applications.commands.update`), as command registration uses.
 * - PUT  /api/applications/:id/commands  bulk overwrite of the global commands (Bearer client-credentials
 *                                   token with that scope, the application's own id); GET lists them.
 * - Interactions: the fake holds an Ed25519 key pair (`publicKeyHex` is the app's DISCORD_PUBLIC_KEY) and
 *   `signInteraction()` signs a body the way Discord does, for tests that POST interactions to the app.
 * - /_test/*                        test controls: GET/DELETE /_test/webhooks, POST /_test/switches
 *                                   {tokenStatus?, failWebhooks?}, POST /_test/users {id, username, …}.
 *
 * It is a development tool: it keeps everything in memory and must never face the internet.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface FakeDiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  avatar: string | null;
}

export interface RecordedWebhook {
  webhookId: string;
  token: string;
  body: unknown;
  receivedAt: string;
}

export interface FakeDiscordSwitches {
  /** When set, the token endpoint answers this status (e.g. 500) instead of working. */
  tokenStatus: number | null;
  /** The next N webhook posts answer 500. */
  failWebhooks: number;
  /** The next N webhook posts answer 404 Unknown Webhook (as when the webhook was deleted in Discord). */
  goneWebhooks: number;
}

export interface FakeDiscordOptions {
  port?: number;
  host?: string;
  clientId?: string;
  clientSecret?: string;
  /** Approve every authorization as this user id without showing the page ("deny" denies). */
  autoUser?: string;
  users?: FakeDiscordUser[];
}

export interface FakeDiscord {
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  users: Map<string, FakeDiscordUser>;
  webhooks: RecordedWebhook[];
  switches: FakeDiscordSwitches;
  /** Every token request seen (without secrets), for assertions. */
  tokenRequests: Array<{ grantType: string | null; clientAuth: 'basic' | 'body' | 'none'; status: number }>;
  /** Global application commands as last PUT (bulk overwrite), and how many PUTs there were. */
  commands: Array<Record<string, unknown> & { id: string; application_id: string; version: string }>;
  commandPuts: number;
  /** The application's Ed25519 public key, 64 hex characters (QueueCrew's DISCORD_PUBLIC_KEY). */
  publicKeyHex: string;
  /** Signs `timestamp + body` like Discord: the X-Signature-Ed25519 / X-Signature-Timestamp headers. */
  signInteraction(body: string, timestamp?: string): { 'x-signature-ed25519': string; 'x-signature-timestamp': string };
  /** The server environment that points QueueCrew's Discord sign-in at this fake. */
  env: Record<'DISCORD_CLIENT_ID' | 'DISCORD_CLIENT_SECRET' | 'DISCORD_API_URL' | 'DISCORD_AUTHORIZE_URL', string>;
  stop(): Promise<void>;
}

export const DEFAULT_USERS: FakeDiscordUser[] = [
  { id: '100000000000000001', username: 'ana.plays', global_name: 'Ana', avatar: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
  { id: '100000000000000002', username: 'bo_builds', global_name: 'Bo', avatar: null },
  { id: '100000000000000003', username: 'cy', global_name: 'Cy the Tank', avatar: null },
];

const CODE_TTL_MS = 10 * 60 * 1000;

interface PendingRequest {
  clientId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  createdAt: number;
}
interface IssuedCode extends PendingRequest {
  userId: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const clientId = options.clientId ?? 'queuecrew-dev-client';
  const clientSecret = options.clientSecret ?? 'fake-discord-dev-client-secret';
  const users = new Map((options.users ?? DEFAULT_USERS).map((u) => [u.id, { ...u }]));
  const pending = new Map<string, PendingRequest>();
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, string>();
  const webhooks: RecordedWebhook[] = [];
  const switches: FakeDiscordSwitches = { tokenStatus: null, failWebhooks: 0, goneWebhooks: 0 };
  const tokenRequests: FakeDiscord['tokenRequests'] = [];
  // Client-credentials tokens: token → scopes. Never valid for /users/@me.
  const appTokens = new Map<string, string[]>();
  const commands: FakeDiscord['commands'] = [];
  let commandPuts = 0;
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
  const signInteraction = (body: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), privateKey).toString('hex'),
    'x-signature-timestamp': timestamp,
  });

  function finishAuthorization(res: ServerResponse, request: PendingRequest, userId: string | 'deny') {
    const target = new URL(request.redirectUri);
    if (userId === 'deny' || !users.has(userId)) {
      // What Discord sends when the person presses "Cancel".
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The resource owner or authorization server denied the request');
    } else {
      const code = randomBytes(20).toString('base64url');
      codes.set(code, { ...request, userId });
      target.searchParams.set('code', code);
    }
    if (request.state !== null) target.searchParams.set('state', request.state);
    redirect(res, target.toString());
  }

  function authorize(res: ServerResponse, url: URL) {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== clientId || !redirectUri) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('Invalid OAuth2 application: unknown client_id or missing redirect_uri.');
      return;
    }
    if (q.get('response_type') !== 'code' || !(q.get('scope') ?? '').split(' ').includes('identify')) {
      const target = new URL(redirectUri);
      target.searchParams.set('error', q.get('response_type') !== 'code' ? 'unsupported_response_type' : 'invalid_scope');
      if (q.get('state')) target.searchParams.set('state', q.get('state')!);
      redirect(res, target.toString());
      return;
    }
    const request: PendingRequest = {
      clientId,
      redirectUri,
      state: q.get('state'),
      codeChallenge: q.get('code_challenge'),
      codeChallengeMethod: q.get('code_challenge_method'),
      createdAt: Date.now(),
    };
    const auto = q.get('auto') ?? options.autoUser;
    if (auto) {
      finishAuthorization(res, request, auto);
      return;
    }
    const id = randomBytes(12).toString('base64url');
    pending.set(id, request);
    const list = [...users.values()]
      .map(
        (u) =>
          `<li><a class="pick" href="/oauth2/decide?request=${id}&amp;user=${encodeURIComponent(u.id)}">Continue as ${escapeHtml(
            u.global_name ?? u.username,
          )} <small>@${escapeHtml(u.username)}</small></a></li>`,
      )
      .join('');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fake Discord – authorize</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}a{display:inline-block;padding:.75rem 1rem;margin:.25rem 0;min-height:44px;box-sizing:border-box}</style>
</head><body><main><h1>Fake Discord</h1>
<p>QueueCrew (development) wants to know your Discord username and avatar (scope <code>identify</code>).</p>
<p>Pick who you are:</p><ul>${list}</ul>
<p><a class="deny" href="/oauth2/decide?request=${id}&amp;user=deny">Deny</a></p>
<p><small>This is a local development stand-in for discord.com.</small></p></main></body></html>`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  }

  function decide(res: ServerResponse, url: URL) {
    const id = url.searchParams.get('request') ?? '';
    const request = pending.get(id);
    pending.delete(id);
    if (!request || Date.now() - request.createdAt > CODE_TTL_MS) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('This authorization request has expired. Go back to the app and try again.');
      return;
    }
    finishAuthorization(res, request, url.searchParams.get('user') ?? 'deny');
  }

  async function token(req: IncomingMessage, res: ServerResponse) {
    const body = new URLSearchParams(await readBody(req));
    const answer = (status: number, payload: unknown, clientAuth: 'basic' | 'body' | 'none') => {
      tokenRequests.push({ grantType: body.get('grant_type'), clientAuth, status });
      sendJson(res, status, payload);
    };
    let givenId = body.get('client_id');
    let givenSecret = body.get('client_secret');
    let clientAuth: 'basic' | 'body' | 'none' = givenSecret ? 'body' : 'none';
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const idx = decoded.indexOf(':');
      givenId = decodeURIComponent(decoded.slice(0, idx));
      givenSecret = decodeURIComponent(decoded.slice(idx + 1));
      clientAuth = 'basic';
    }
    if (switches.tokenStatus !== null) {
      answer(switches.tokenStatus, { message: 'Simulated failure', code: 0 }, clientAuth);
      return;
    }
    if (givenId !== clientId || !givenSecret || !safeEqual(givenSecret, clientSecret)) {
      answer(401, { error: 'invalid_client' }, clientAuth);
      return;
    }
    if (body.get('grant_type') === 'client_credentials') {
      // Discord: client credentials authenticate with HTTP Basic; only the scopes an app token may hold.
      const scopes = (body.get('scope') ?? '').split(' ').filter(Boolean);
      if (clientAuth !== 'basic') return answer(401, { error: 'invalid_client' }, clientAuth);
      if (scopes.length === 0 || scopes.some((x) => x !== 'applications.commands.update' && x !== 'identify'))
        return answer(400, { error: 'invalid_scope' }, clientAuth);
      const appToken = randomBytes(24).toString('base64url');
      appTokens.set(appToken, scopes);
      return answer(200, { token_type: 'Bearer', access_token: appToken, expires_in: 604800, scope: scopes.join(' ') }, clientAuth);
    }
    if (body.get('grant_type') !== 'authorization_code') {
      answer(400, { error: 'unsupported_grant_type' }, clientAuth);
      return;
    }
    const codeValue = body.get('code') ?? '';
    const issued = codes.get(codeValue);
    // A code works once, whatever happens next (RFC 6749 §4.1.2).
    codes.delete(codeValue);
    const invalidGrant = () => answer(400, { error: 'invalid_grant', error_description: 'Invalid "code" in request.' }, clientAuth);
    if (!issued || Date.now() - issued.createdAt > CODE_TTL_MS || issued.redirectUri !== body.get('redirect_uri')) {
      invalidGrant();
      return;
    }
    if (issued.codeChallenge !== null) {
      const verifier = body.get('code_verifier') ?? '';
      const method = issued.codeChallengeMethod ?? 'plain';
      const computed = method === 'S256' ? s256(verifier) : verifier;
      if (!verifier || !safeEqual(computed, issued.codeChallenge)) {
        invalidGrant();
        return;
      }
    }
    const accessToken = randomBytes(24).toString('base64url');
    accessTokens.set(accessToken, issued.userId);
    answer(
      200,
      {
        token_type: 'Bearer',
        access_token: accessToken,
        expires_in: 604800,
        refresh_token: randomBytes(24).toString('base64url'),
        scope: 'identify',
      },
      clientAuth,
    );
  }

  function me(req: IncomingMessage, res: ServerResponse) {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const userId = m ? accessTokens.get(m[1]!) : undefined;
    const user = userId ? users.get(userId) : undefined;
    if (!user) {
      sendJson(res, 401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    sendJson(res, 200, { ...user, discriminator: '0', public_flags: 0, flags: 0, banner: null, accent_color: null, locale: 'en-US' });
  }

  async function webhook(req: IncomingMessage, res: ServerResponse, url: URL, webhookId: string, webhookToken: string) {
    const text = await readBody(req);
    if (switches.goneWebhooks > 0) {
      switches.goneWebhooks -= 1;
      sendJson(res, 404, { message: 'Unknown Webhook', code: 10015 });
      return;
    }
    if (switches.failWebhooks > 0) {
      switches.failWebhooks -= 1;
      sendJson(res, 500, { message: 'Simulated failure', code: 0 });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      sendJson(res, 400, { message: 'Cannot send an empty message', code: 50006 });
      return;
    }
    webhooks.push({ webhookId, token: webhookToken, body, receivedAt: new Date().toISOString() });
    if (url.searchParams.get('wait') === 'true')
      sendJson(res, 200, { id: randomBytes(8).toString('hex'), webhook_id: webhookId, ...(body as object) });
    else {
      res.writeHead(204);
      res.end();
    }
  }

  async function applicationCommands(req: IncomingMessage, res: ServerResponse, appId: string) {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const scopes = m ? appTokens.get(m[1]!) : undefined;
    if (!scopes) return sendJson(res, 401, { message: '401: Unauthorized', code: 0 });
    if (appId !== clientId) return sendJson(res, 403, { message: 'Missing Access', code: 50001 });
    if (req.method === 'GET') return sendJson(res, 200, commands);
    if (!scopes.includes('applications.commands.update')) return sendJson(res, 403, { message: 'Missing Access', code: 50001 });
    const list = JSON.parse(await readBody(req)) as unknown;
    if (!Array.isArray(list) || list.some((c) => typeof c !== 'object' || c === null || typeof (c as { name?: unknown }).name !== 'string'))
      return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035 });
    commandPuts += 1;
    // Bulk overwrite: the list replaces what was there; a command keeps its id while its name stays.
    const before = new Map(commands.map((c) => [c.name as string, c]));
    const next = (list as Array<Record<string, unknown>>).map((c) => {
      const old = before.get(c.name as string);
      const same =
        old &&
        JSON.stringify({ ...old, id: undefined, application_id: undefined, version: undefined }) ===
          JSON.stringify({ ...c, id: undefined, application_id: undefined, version: undefined });
      return {
        ...c,
        id: old?.id ?? randomBytes(8).readBigUInt64BE().toString().slice(0, 18),
        application_id: appId,
        version: same ? old.version : randomBytes(8).readBigUInt64BE().toString().slice(0, 18),
      };
    });
    commands.length = 0;
    commands.push(...next);
    return sendJson(res, 200, commands);
  }

  async function testControls(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (url.pathname === '/_test/webhooks' && req.method === 'GET') return sendJson(res, 200, webhooks);
    if (url.pathname === '/_test/webhooks' && req.method === 'DELETE') {
      webhooks.length = 0;
      res.writeHead(204);
      return res.end();
    }
    if (url.pathname === '/_test/switches' && req.method === 'POST') {
      const input = JSON.parse((await readBody(req)) || '{}') as Partial<FakeDiscordSwitches>;
      if (input.tokenStatus !== undefined) switches.tokenStatus = input.tokenStatus;
      if (input.failWebhooks !== undefined) switches.failWebhooks = input.failWebhooks;
      if (input.goneWebhooks !== undefined) switches.goneWebhooks = input.goneWebhooks;
      return sendJson(res, 200, switches);
    }
    if (url.pathname === '/_test/users' && req.method === 'POST') {
      const u = JSON.parse(await readBody(req)) as FakeDiscordUser;
      if (!/^\d{1,20}$/.test(u.id) || typeof u.username !== 'string')
        return sendJson(res, 400, { message: 'id (digits) and username required' });
      users.set(u.id, { id: u.id, username: u.username, global_name: u.global_name ?? null, avatar: u.avatar ?? null });
      return sendJson(res, 201, users.get(u.id));
    }
    return sendJson(res, 404, { message: '404: Not Found', code: 0 });
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake-discord.local');
    const path = url.pathname.replace(/^\/api\/v\d+\//, '/api/');
    const route = async () => {
      if (req.method === 'GET' && path === '/oauth2/authorize') return authorize(res, url);
      if (req.method === 'GET' && path === '/oauth2/decide') return decide(res, url);
      if (req.method === 'POST' && path === '/api/oauth2/token') return token(req, res);
      if (req.method === 'GET' && path === '/api/users/@me') return me(req, res);
      const hook = /^\/api\/webhooks\/(\d{1,20})\/([A-Za-z0-9_-]{1,100})$/.exec(path);
      if (req.method === 'POST' && hook) return webhook(req, res, url, hook[1]!, hook[2]!);
      const cmds = /^\/api\/applications\/(\d{1,20}|[A-Za-z0-9_-]{1,64})\/commands$/.exec(path);
      if (cmds && (req.method === 'PUT' || req.method === 'GET')) return applicationCommands(req, res, cmds[1]!);
      if (path.startsWith('/_test/')) return testControls(req, res, url);
      return sendJson(res, 404, { message: '404: Not Found', code: 0 });
    };
    route().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 400, { message: e instanceof Error ? e.message : 'bad request', code: 50109 });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    env: {
      DISCORD_CLIENT_ID: clientId,
      DISCORD_CLIENT_SECRET: clientSecret,
      DISCORD_API_URL: `${url}/api`,
      DISCORD_AUTHORIZE_URL: `${url}/oauth2/authorize`,
    },
    port,
    clientId,
    clientSecret,
    users,
    webhooks,
    switches,
    tokenRequests,
    commands,
    get commandPuts() {
      return commandPuts;
    },
    publicKeyHex,
    signInteraction,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// `npm run fake-discord`: listen on FAKE_DISCORD_PORT (4010) until stopped.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await startFakeDiscord({
    port: Number(process.env.FAKE_DISCORD_PORT ?? 4010),
    host: process.env.FAKE_DISCORD_HOST ?? '127.0.0.1',
    clientId: process.env.FAKE_DISCORD_CLIENT_ID,
    clientSecret: process.env.FAKE_DISCORD_CLIENT_SECRET,
    autoUser: process.env.FAKE_DISCORD_AUTO_USER,
  });
  console.log(`Fake Discord listening on ${fake.url}`);
  console.log(`  DISCORD_CLIENT_ID=${fake.clientId} DISCORD_CLIENT_SECRET=<fake secret, see scripts/fake-discord/server.ts>`);
  console.log(`  DISCORD_API_URL=${fake.url}/api DISCORD_AUTHORIZE_URL=${fake.url}/oauth2/authorize DISCORD_WEBHOOK_BASE_URL=${fake.url}`);
  console.log(`  DISCORD_PUBLIC_KEY=${fake.publicKeyHex} (a new key pair each start)`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void fake.stop().then(() => process.exit(0)));
}
