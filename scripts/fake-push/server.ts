/**
 * A local stand-in for a Web Push service (RFC 8030), as a real HTTP server (node:http), for
 * development (`npm run fake-push`) and tests. It checks what a real push service checks and decrypts
 * what arrives so that tests can read it:
 *
 * - POST /push/:deviceId   one push message. Checked: `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292:
 *                          ES256 signature verified with k, `aud` = this server's origin, `exp` in the
 *                          future and at most 24 h ahead, `sub` a mailto: or https: URL), `TTL` present,
 *                          `Content-Encoding: aes128gcm`, a body of at most 4096 bytes that decrypts
 *                          (RFC 8291) with the device's private key and auth secret. Answers 201 with a
 *                          Location, 400/401/403/413 with a reason, 404 for an unknown device, or the
 *                          status it was told to give (`answer()`, e.g. 410 or 500).
 * - /_test/*               controls: GET /_test/received, POST /_test/answer {deviceId, status, times?}.
 *
 * Devices are created in the test (or with `addDevice()`), which hands over the device's ECDH private key
 * and auth secret, as a browser holds them. It keeps everything in memory and must never face the internet.
 */
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface FakePushDevice {
  id: string;
  /** What the browser's PushSubscription.toJSON() would give. */
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

export interface ReceivedPush {
  deviceId: string;
  /** The decrypted payload (parsed as JSON when it is JSON). */
  payload: unknown;
  /** The VAPID claims that were verified. */
  claims: { aud: string; exp: number; sub: string };
  vapidKey: string;
  ttl: number;
  urgency: string | undefined;
  receivedAt: string;
}

export interface RejectedPush {
  deviceId: string;
  status: number;
  reason: string;
}

export interface FakePush {
  url: string;
  received: ReceivedPush[];
  rejected: RejectedPush[];
  /** Registers a device with an ECDH key pair (generated when not given) and a 16-byte auth secret. */
  addDevice(options?: { ecdh?: ECDH; auth?: Buffer; id?: string }): FakePushDevice;
  /** The next `times` pushes to this device answer `status` (410 gone, 500 down, 429 …) instead of 201. */
  answer(deviceId: string, status: number, times?: number): void;
  /** Resolves when `count` pushes have arrived in total (no fixed sleeps in tests). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedPush[]>;
  stop(): Promise<void>;
}

const MAX_BODY = 4096;

/** RFC 8291 §3.4 / RFC 8188: decrypt one aes128gcm message with the user agent's keys. */
export function decryptAes128gcm(body: Buffer, ecdh: ECDH, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const keyid = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error('keyid is not a 65-byte P-256 public key');
  if (rs < 18 || ciphertext.length > rs) throw new Error('record size invalid, or more than one record');
  const uaPublic = ecdh.getPublicKey();
  const ecdhSecret = ecdh.computeSecret(keyid);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, keyid]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last (only) record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 2) throw new Error('missing last-record padding delimiter');
  return padded.subarray(0, end);
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 8292: verifies `vapid t=<jwt>, k=<key>` and returns the claims. */
function verifyVapid(header: string | undefined, origin: string, nowSeconds: number): { claims: ReceivedPush['claims']; key: string } {
  const m = /^vapid\s+(.+)$/i.exec(header ?? '');
  if (!m) throw new Refusal(401, 'missing vapid Authorization');
  const params = Object.fromEntries(
    m[1]!.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    }),
  ) as Record<string, string | undefined>;
  const { t, k } = params;
  if (!t || !k) throw new Refusal(401, 'vapid Authorization needs t and k');
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Refusal(401, 'k is not an uncompressed P-256 key');
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const parts = t.split('.');
  if (parts.length !== 3) throw new Refusal(401, 'malformed JWT');
  const [h, p, s] = parts as [string, string, string];
  const jwtHeader = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
  if (jwtHeader.alg !== 'ES256') throw new Refusal(401, 'JWT alg is not ES256');
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Refusal(403, 'JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Partial<ReceivedPush['claims']>;
  if (claims.aud !== origin) throw new Refusal(403, `aud is ${String(claims.aud)}, not ${origin}`);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds || claims.exp > nowSeconds + 24 * 3600)
    throw new Refusal(403, 'exp must be in the future and at most 24 hours ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
    throw new Refusal(403, 'sub must be a mailto: or https: URL');
  return { claims: claims as ReceivedPush['claims'], key: k };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY + 1) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakePush(options: { port?: number; host?: string } = {}): Promise<FakePush> {
  const devices = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const answers = new Map<string, { status: number; times: number }>();
  const received: ReceivedPush[] = [];
  const rejected: RejectedPush[] = [];
  const waiters: Array<{ count: number; resolve: (r: ReceivedPush[]) => void }> = [];
  let origin = '';

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  async function push(req: IncomingMessage, res: ServerResponse, deviceId: string) {
    const body = await readBody(req);
    const device = devices.get(deviceId);
    if (!device) return send(res, 404, { reason: 'unknown subscription' });
    const told = answers.get(deviceId);
    if (told && told.times > 0) {
      told.times -= 1;
      return send(res, told.status, { reason: 'told to' });
    }
    try {
      const { claims, key } = verifyVapid(req.headers.authorization, origin, Math.floor(Date.now() / 1000));
      const ttlHeader = req.headers.ttl;
      if (typeof ttlHeader !== 'string' || !/^\d+$/.test(ttlHeader)) throw new Refusal(400, 'TTL header missing or not a number');
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Refusal(415, 'Content-Encoding must be aes128gcm');
      if (body.length > MAX_BODY) throw new Refusal(413, 'payload larger than 4096 bytes');
      let plaintext: Buffer;
      try {
        plaintext = decryptAes128gcm(body, device.ecdh, device.auth);
      } catch (e) {
        throw new Refusal(400, `cannot decrypt: ${(e as Error).message}`);
      }
      const text = plaintext.toString('utf8');
      let payload: unknown = text;
      try {
        payload = JSON.parse(text);
      } catch {
        payload = text;
      }
      const urgency = req.headers.urgency;
      received.push({
        deviceId,
        payload,
        claims,
        vapidKey: key,
        ttl: Number(ttlHeader),
        urgency: typeof urgency === 'string' ? urgency : undefined,
        receivedAt: new Date().toISOString(),
      });
      for (const w of [...waiters]) {
        if (received.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(received.slice());
        }
      }
      return send(res, 201, undefined, { Location: `${origin}/message/${randomBytes(8).toString('hex')}` });
    } catch (e) {
      const status = e instanceof Refusal ? e.status : 400;
      const reason = e instanceof Error ? e.message : 'bad request';
      rejected.push({ deviceId, status, reason });
      return send(res, status, { reason });
    }
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake-push');
    const m = /^\/push\/([A-Za-z0-9_-]{1,64})$/.exec(url.pathname);
    const handle = async () => {
      if (m && req.method === 'POST') return push(req, res, m[1]!);
      if (url.pathname === '/_test/received' && req.method === 'GET') return send(res, 200, { received, rejected });
      if (url.pathname === '/_test/answer' && req.method === 'POST') {
        const b = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { deviceId?: string; status?: number; times?: number };
        if (!b.deviceId || !b.status) return send(res, 400, { reason: 'deviceId and status are required' });
        answers.set(b.deviceId, { status: b.status, times: b.times ?? 1 });
        return send(res, 204);
      }
      return send(res, 404, { reason: 'not found' });
    };
    handle().catch(() => send(res, 500, { reason: 'fake push failed' }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: origin,
    received,
    rejected,
    addDevice({ ecdh, auth, id } = {}) {
      const pair = ecdh ?? createECDH('prime256v1');
      if (!ecdh) pair.generateKeys();
      const secret = auth ?? randomBytes(16);
      const deviceId = id ?? randomBytes(12).toString('base64url');
      devices.set(deviceId, { ecdh: pair, auth: secret });
      return {
        id: deviceId,
        subscription: {
          endpoint: `${origin}/push/${deviceId}`,
          keys: { p256dh: pair.getPublicKey().toString('base64url'), auth: secret.toString('base64url') },
        },
      };
    },
    answer(deviceId, status, times = 1) {
      answers.set(deviceId, { status, times });
    },
    waitFor(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} pushes arrived`)), timeoutMs);
        waiters.push({
          count,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// `npm run fake-push`: listen on FAKE_PUSH_PORT (4020) until stopped.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.FAKE_PUSH_PORT ?? 4020);
  const fake = await startFakePush({ port });
  console.log(`Fake push service listening on ${fake.url} (set PUSH_ENDPOINT_BASE_URL=${fake.url})`);
}
