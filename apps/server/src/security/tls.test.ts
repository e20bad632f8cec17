/**
 * TLS served by QueueCrew itself: a certificate generated here with openssl, the real server on a real
 * port. TLS 1.3 works, a TLS 1.2-only client cannot connect, plain http redirects to https, and the
 * session cookies come with Secure and the __Host-/__Secure- prefixes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../server.ts';
import { LogCapture, testEnv } from '../test/create-test-app.ts';
import { STRONG_PASSWORD } from '../test/factories.ts';
import { freePort } from '../test/processes.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  protocol?: string | null;
}

let dir: string;
let ca: Buffer;
let running: RunningServer;
let port: number;
let redirectPort: number;
const logs = new LogCapture();

function httpsCall(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? (body ? 'POST' : 'GET'),
        ca,
        headers: {
          ...(body ? { 'content-type': 'application/json', origin: `https://127.0.0.1:${port}` } : {}),
          ...init.headers,
        },
      },
      (res) => {
        // Read while the socket is attached (it is detached once the response has ended).
        const protocol = (res.socket as TLSSocket | null)?.getProtocol() ?? null;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            protocol,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qc-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  ca = readFileSync(cert);
  port = await freePort();
  redirectPort = await freePort();
  running = await startServer({
    env: testEnv(dir, {
      PORT: String(port),
      APP_URL: `https://127.0.0.1:${port}`,
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      HTTP_REDIRECT_PORT: String(redirectPort),
    }),
    logDestination: logs,
    webhooks: false,
  });
});

afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS 1.3 only', () => {
  it('serves https over TLS 1.3 with HSTS', async () => {
    const res = await httpsCall('/healthz');
    expect(res.status).toBe(200);
    expect(res.protocol).toBe('TLSv1.3');
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(running.url).toBe(`https://127.0.0.1:${port}`);
  });

  it('refuses a client that speaks at most TLS 1.2 (the handshake fails)', async () => {
    const outcome = await new Promise<{ connected: boolean; error?: string }>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost', maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2' });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve({ connected: true });
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve({ connected: false, error: `${err.code ?? ''} ${err.message}` }));
    });
    expect(outcome.connected).toBe(false);
    expect(outcome.error).toMatch(/protocol version|ERR_SSL|alert/i);
  });

  it('a TLS 1.3 handshake on the raw socket succeeds (control for the test above)', async () => {
    const protocol = await new Promise<string | null>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost', minVersion: 'TLSv1.3' });
      socket.once('secureConnect', () => {
        const p = socket.getProtocol();
        socket.destroy();
        resolve(p);
      });
      socket.once('error', reject);
    });
    expect(protocol).toBe('TLSv1.3');
  });
});

describe('plain http redirects to https', () => {
  function plain(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: redirectPort, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers 301 to the same path and query on APP_URL', async () => {
    const res = await plain('/groups/abc?date=2026-11-26');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`https://127.0.0.1:${port}/groups/abc?date=2026-11-26`);
  });

  it('never redirects to the host the request names (no open redirect via Host)', async () => {
    const res = await plain('/login', { host: 'evil.example' });
    expect(res.headers.location).toBe(`https://127.0.0.1:${port}/login`);
  });
});

describe('cookies over https', () => {
  it('are HttpOnly, Secure and carry the __Host-/__Secure- prefixes', async () => {
    const res = await httpsCall('/api/auth/register', {
      json: { email: 'tls@example.test', username: 'tls_user', password: STRONG_PASSWORD },
    });
    expect(res.status).toBe(201);
    const cookies = res.headers['set-cookie'] as string[];
    const access = cookies.find((c) => c.startsWith('__Host-qc_access='))!;
    const refresh = cookies.find((c) => c.startsWith('__Secure-qc_refresh='))!;
    expect(access).toMatch(/; Secure/);
    expect(access).toMatch(/; HttpOnly/);
    expect(access).toMatch(/; Path=\//);
    expect(access).not.toMatch(/Domain=/i);
    expect(refresh).toMatch(/; Secure/);
    expect(refresh).toMatch(/; HttpOnly/);
    expect(refresh).toMatch(/SameSite=Strict/);
  });
});
