/**
 * A small fake of the parts of Steam QueueCrew talks to, as a real HTTP server (node:http), for
 * development and tests. It behaves like Steam where it matters:
 *
 * - GET  /openid/login   `checkid_setup`: answers as the chosen user (`?auto=<steamid>`, the
 *                        `autoUser` option, or the first user) by redirecting to `openid.return_to` with a
 *                        positive assertion signed with an HMAC-SHA256 association the fake keeps;
 *                        `?auto=cancel` answers `openid.mode=cancel`.
 * - POST /openid/login   `check_authentication`: recomputes the signature over `openid.signed` with its
 *                        association and answers `is_valid:true` only when it matches (as Steam does).
 * - GET  /IPlayerService/GetOwnedGames/v1/  with `key` (must be the configured key, else 403) and
 *                        `steamid`; a private profile answers `{"response": {}}` as Steam does.
 * - `assertion()` builds a signed assertion for tests, which may then tamper with it.
 *
 * It is a development tool: it keeps everything in memory and must never face the internet.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export const OPENID_NS = 'http://specs.openid.net/auth/2.0';

export interface FakeSteamGame {
  appid: number;
  name: string;
  playtime_forever: number;
}

export interface FakeSteamUser {
  steamId: string;
  /** A private profile: GetOwnedGames answers an empty response. */
  private?: boolean;
  games?: FakeSteamGame[];
}

export interface FakeSteamOptions {
  port?: number;
  host?: string;
  apiKey?: string | undefined;
  autoUser?: string | undefined;
  users?: FakeSteamUser[];
}

export interface FakeSteam {
  url: string;
  /** The OpenID endpoint (what the app's STEAM_OPENID_URL must be). */
  openidUrl: string;
  apiKey: string;
  users: FakeSteamUser[];
  /** How many check_authentication requests were answered, and how many said is_valid:true. */
  checks: { total: number; valid: number };
  /** A positive assertion as Steam would send it back to `returnTo`, signed by this fake. */
  assertion(returnTo: string, steamId: string, opts?: { nonceTime?: Date; opEndpoint?: string; nonce?: string }): Record<string, string>;
  close(): Promise<void>;
}

const SIGNED = ['signed', 'op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle'];

/** OpenID 2.0 key-value form of the signed fields, in `openid.signed` order. */
function keyValueForm(params: Record<string, string>): string {
  const names = (params['openid.signed'] ?? '').split(',').filter(Boolean);
  return names.map((n) => `${n}:${params[`openid.${n}`] ?? ''}\n`).join('');
}

/** Constant-time string comparison (over hashes, so lengths may differ). */
function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSteam(options: FakeSteamOptions = {}): Promise<FakeSteam> {
  const associationKey = randomBytes(32);
  const assocHandle = `fake-${randomBytes(6).toString('hex')}`;
  const apiKey = options.apiKey ?? 'fake-steam-web-api-key';
  const users: FakeSteamUser[] = options.users ?? [
    {
      steamId: '76561198000000001',
      games: [
        { appid: 548430, name: 'Deep Rock Galactic', playtime_forever: 1200 },
        { appid: 892970, name: 'Valheim', playtime_forever: 300 },
      ],
    },
    { steamId: '76561198000000002', private: true },
  ];
  const checks = { total: 0, valid: 0 };
  let openidUrl = '';

  const sign = (params: Record<string, string>) =>
    createHmac('sha256', associationKey).update(keyValueForm(params), 'utf8').digest('base64');

  function assertion(returnTo: string, steamId: string, opts: { nonceTime?: Date; opEndpoint?: string; nonce?: string } = {}) {
    const id = `https://steamcommunity.com/openid/id/${steamId}`;
    const nonceTime = (opts.nonceTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const params: Record<string, string> = {
      'openid.ns': OPENID_NS,
      'openid.mode': 'id_res',
      'openid.op_endpoint': opts.opEndpoint ?? openidUrl,
      'openid.claimed_id': id,
      'openid.identity': id,
      'openid.return_to': returnTo,
      'openid.response_nonce': opts.nonce ?? `${nonceTime}${randomBytes(6).toString('hex')}`,
      'openid.assoc_handle': assocHandle,
      'openid.signed': SIGNED.join(','),
    };
    params['openid.sig'] = sign(params);
    return params;
  }

  function send(res: ServerResponse, status: number, body: string, type = 'text/plain') {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/openid/login' && req.method === 'GET') {
        const q = Object.fromEntries(url.searchParams);
        const returnTo = q['openid.return_to'];
        if (q['openid.mode'] !== 'checkid_setup' || !returnTo) return send(res, 400, 'bad request');
        const auto = q.auto ?? options.autoUser ?? users[0]?.steamId ?? '';
        const target = new URL(returnTo);
        const params = auto === 'cancel' ? { 'openid.ns': OPENID_NS, 'openid.mode': 'cancel' } : assertion(returnTo, auto);
        for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
        res.writeHead(302, { location: target.toString() });
        return res.end();
      }
      if (url.pathname === '/openid/login' && req.method === 'POST') {
        const params = Object.fromEntries(new URLSearchParams(await readBody(req)));
        if (params['openid.mode'] !== 'check_authentication') return send(res, 400, 'bad request');
        checks.total++;
        const expected = sign(params);
        const valid = params['openid.assoc_handle'] === assocHandle && same(params['openid.sig'] ?? '', expected);
        if (valid) checks.valid++;
        return send(res, 200, `ns:${OPENID_NS}\nis_valid:${valid ? 'true' : 'false'}\n`);
      }
      if (url.pathname === '/IPlayerService/GetOwnedGames/v1/' && req.method === 'GET') {
        if (!same(url.searchParams.get('key') ?? '', apiKey)) return send(res, 403, '<html><body>Forbidden</body></html>', 'text/html');
        const user = users.find((u) => u.steamId === url.searchParams.get('steamid'));
        if (!user || user.private) return send(res, 200, JSON.stringify({ response: {} }), 'application/json');
        const games = user.games ?? [];
        return send(res, 200, JSON.stringify({ response: { game_count: games.length, games } }), 'application/json');
      }
      send(res, 404, 'not found');
    })().catch(() => send(res, 500, 'fake-steam error'));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  openidUrl = `${base}/openid/login`;
  return {
    url: base,
    openidUrl,
    apiKey,
    users,
    checks,
    assertion,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// `npm run fake-steam` (and `npm run dev` when STEAM_WEB_API_KEY is unset): listen on FAKE_STEAM_PORT
// (4020) until stopped, with the two default users (a public profile that owns Deep Rock Galactic and
// Valheim, and a private one). Sign-in answers as the first user.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await startFakeSteam({
    port: Number(process.env.FAKE_STEAM_PORT ?? 4020),
    host: process.env.FAKE_STEAM_HOST ?? '127.0.0.1',
    apiKey: process.env.FAKE_STEAM_API_KEY,
    autoUser: process.env.FAKE_STEAM_AUTO_USER,
  });
  console.log(`Fake Steam listening on ${fake.url}`);
  console.log(
    `  STEAM_OPENID_URL=${fake.openidUrl} STEAM_API_URL=${fake.url} STEAM_WEB_API_KEY=<fake key, see scripts/fake-steam/server.ts>`,
  );
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void fake.close().then(() => process.exit(0)));
}
