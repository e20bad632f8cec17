/**
 * The only reader of process.env. Everything else receives a typed `Config`.
 *
 * In development, missing secrets are generated once into `data/secrets.json` (mode 0600) so that
 * `npm start` works on a fresh machine. With NODE_ENV=production every secret must be given and strong.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const SECRET_NAMES = ['DATABASE_ENCRYPTION_KEY', 'SESSION_SECRET', 'FIELD_ENCRYPTION_KEY', 'BACKUP_KEY'] as const;
type SecretName = (typeof SECRET_NAMES)[number];

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A secret: at least 32 bytes of key material (hex, base64 or a long passphrase). */
const secret = z.string().min(32, 'must be at least 32 characters (generate one with: openssl rand -base64 32)');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Unset: http://localhost:<PORT> in development (so `PORT=3300 npm start` just works), else http://localhost:3000. */
  APP_URL: z.url({ message: 'must be an absolute URL such as https://queuecrew.example' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  DATABASE_ENCRYPTION_KEY: secret.optional(),
  /** WAL fsync policy of the writer connection (docs/decisions/043-single-writer-connection.md). */
  DATABASE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  /** Only for `npm run rotate-keys -- --database`: the key the database file is re-encrypted with. */
  DATABASE_ENCRYPTION_KEY_NEW: secret.optional(),
  SESSION_SECRET: secret.optional(),
  /** Comma-separated older signing secrets that still verify tokens until rotated out. */
  SESSION_SECRET_PREVIOUS: z.string().optional(),
  FIELD_ENCRYPTION_KEY: secret.optional(),
  FIELD_ENCRYPTION_KEY_PREVIOUS: z.string().optional(),
  BACKUP_KEY: secret.optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_CRON: z.string().min(1).optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(14),
  RESTORE_DRILL_CRON: z.string().min(1).optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  DISCORD_CLIENT_ID: z.string().min(1).optional(),
  DISCORD_CLIENT_SECRET: z.string().min(1).optional(),
  DISCORD_API_URL: z.url().default('https://discord.com/api'),
  DISCORD_AUTHORIZE_URL: z.url().default('https://discord.com/oauth2/authorize'),
  /** Defaults to `${DISCORD_API_URL}/oauth2/token`. */
  DISCORD_TOKEN_URL: z.url().optional(),
  /**
   * Development/tests only: an extra webhook base (e.g. http://127.0.0.1:4010 of the fake Discord) whose
   * `/api/webhooks/<id>/<token>` URLs are accepted besides the https DISCORD_WEBHOOK_HOSTS. Refused in production.
   */
  DISCORD_WEBHOOK_BASE_URL: z.url().optional(),
  /** The application's Ed25519 public key (64 hex characters, Developer Portal → General Information). */
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex characters of the application public key')
    .optional(),
  /** The application (client) id, a Discord snowflake; needed for the interactions endpoint and discord:commands. */
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{1,20}$/, 'must be the numeric application id')
    .optional(),
  /** Steam Web API key (IPlayerService/GetOwnedGames): never logged, never sent to a browser. */
  STEAM_WEB_API_KEY: z.string().min(1).optional(),
  /** Steam's OpenID 2.0 endpoint; overridable for the local stand-in (scripts/fake-steam). */
  STEAM_OPENID_URL: z.url().default('https://steamcommunity.com/openid/login'),
  STEAM_API_URL: z.url().default('https://api.steampowered.com'),
  DISCORD_WEBHOOK_HOSTS: z.string().default('discord.com,discordapp.com,ptb.discord.com,canary.discord.com'),
  REDIS_URL: z.string().min(1).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  REGISTRATION: z.enum(['open', 'invite-only', 'closed']).optional(),
  ADMIN_EMAILS: z.string().optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  HTTP_REDIRECT_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST_DIR: z.string().min(1).optional(),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  /** Web Push (RFC 8292) application server keys: base64url P-256 public point (65 bytes) and private scalar (32 bytes). */
  VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  /** Who push services contact about our pushes: a mailto: address or an https: URL. */
  VAPID_SUBJECT: z.string().min(1).optional(),
  /**
   * Development/tests only: one extra origin (e.g. http://127.0.0.1:4020 of scripts/fake-push) accepted as a
   * push endpoint besides public https hosts. Refused in production.
   */
  PUSH_ENDPOINT_BASE_URL: z.url().optional(),
});

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** APP_URL, or — when it is not set — where a development server can be opened: its own port. */
function appUrlOf(e: z.infer<typeof schema>): string {
  if (e.APP_URL) return e.APP_URL;
  if (e.NODE_ENV === 'development' && e.PORT > 0) return `${e.TLS_CERT_FILE ? 'https' : 'http'}://localhost:${e.PORT}`;
  return 'http://localhost:3000';
}

/**
 * The origins whose pages may send state-changing requests and open the live socket: APP_URL's, and in
 * development only, when APP_URL is a loopback name, the other loopback names on the same port
 * (localhost, 127.0.0.1, [::1] are one machine). docs/decisions/102-dev-loopback-origins.md
 */
function acceptedOriginsOf(appUrl: URL, env: string): string[] {
  const own = appUrl.origin;
  if (env !== 'development' || !LOOPBACK_HOSTS.has(appUrl.hostname)) return [own];
  const port = appUrl.port ? `:${appUrl.port}` : '';
  return [own, ...[...LOOPBACK_HOSTS].map((h) => `${appUrl.protocol}//${h}${port}`).filter((o) => o !== own)];
}

function buildConfig(e: z.infer<typeof schema>, secrets: Record<SecretName, string>, vapid: VapidConfig, warnings: string[]) {
  const appUrl = new URL(appUrlOf(e));
  const dataDir = resolve(e.DATA_DIR);
  const isHttps = appUrl.protocol === 'https:';
  const splitList = (s?: string) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  return {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    appUrl: appUrl.origin,
    appOrigin: appUrl.origin,
    /** appOrigin first; loopback aliases in development only (see acceptedOriginsOf). */
    acceptedOrigins: acceptedOriginsOf(appUrl, e.NODE_ENV),
    isHttps,
    dataDir,
    database: {
      url: e.DATABASE_URL ?? `file:${resolve(dataDir, 'queuecrew.db')}`,
      authToken: e.DATABASE_AUTH_TOKEN,
      encryptionKey: secrets.DATABASE_ENCRYPTION_KEY,
      newEncryptionKey: e.DATABASE_ENCRYPTION_KEY_NEW,
      synchronous: e.DATABASE_SYNCHRONOUS,
    },
    session: {
      secret: secrets.SESSION_SECRET,
      previousSecrets: splitList(e.SESSION_SECRET_PREVIOUS),
      accessTtlSeconds: 10 * 60,
      idleTtlSeconds: 7 * 24 * 3600,
      absoluteTtlSeconds: 30 * 24 * 3600,
    },
    fieldEncryption: {
      key: secrets.FIELD_ENCRYPTION_KEY,
      previousKeys: splitList(e.FIELD_ENCRYPTION_KEY_PREVIOUS),
    },
    backup: {
      key: secrets.BACKUP_KEY,
      dir: resolve(e.BACKUP_DIR ?? resolve(dataDir, 'backups')),
      cron: e.BACKUP_CRON,
      keep: e.BACKUP_KEEP,
      drillCron: e.RESTORE_DRILL_CRON,
    },
    retentionDays: e.RETENTION_DAYS,
    discord:
      e.DISCORD_CLIENT_ID && e.DISCORD_CLIENT_SECRET
        ? {
            clientId: e.DISCORD_CLIENT_ID,
            clientSecret: e.DISCORD_CLIENT_SECRET,
            apiUrl: e.DISCORD_API_URL.replace(/\/$/, ''),
            authorizeUrl: e.DISCORD_AUTHORIZE_URL,
            tokenUrl: e.DISCORD_TOKEN_URL ?? `${e.DISCORD_API_URL.replace(/\/$/, '')}/oauth2/token`,
            redirectUri: `${appUrl.origin}/api/auth/discord/callback`,
          }
        : undefined,
    /** Two-way Discord (HTTP interactions): set only when both the public key and the application id are given. */
    discordInteractions:
      e.DISCORD_PUBLIC_KEY && e.DISCORD_APPLICATION_ID
        ? {
            publicKey: e.DISCORD_PUBLIC_KEY.toLowerCase(),
            applicationId: e.DISCORD_APPLICATION_ID,
            /** "Add to server": the OAuth2 install URL with the applications.commands scope only (no bot). */
            installUrl: `${e.DISCORD_AUTHORIZE_URL}?${new URLSearchParams({ client_id: e.DISCORD_APPLICATION_ID, scope: 'applications.commands' }).toString()}`,
          }
        : undefined,
    /** Where `npm run discord:commands` registers commands (and gets its client-credentials token). */
    discordApiUrl: e.DISCORD_API_URL.replace(/\/$/, ''),
    /** Steam account linking (OpenID 2.0) and owned-games import (docs/api.md "Game library"). */
    steam: {
      openidUrl: e.STEAM_OPENID_URL,
      apiUrl: e.STEAM_API_URL.replace(/\/$/, ''),
      apiKey: e.STEAM_WEB_API_KEY,
      realm: appUrl.origin,
      returnTo: `${appUrl.origin}/api/auth/steam/callback`,
    },
    discordWebhookHosts: splitList(e.DISCORD_WEBHOOK_HOSTS).map((h) => h.toLowerCase()),
    discordWebhookBaseUrl: e.DISCORD_WEBHOOK_BASE_URL ? new URL(e.DISCORD_WEBHOOK_BASE_URL).origin : undefined,
    redisUrl: e.REDIS_URL,
    metricsToken: e.METRICS_TOKEN,
    registration: e.REGISTRATION ?? (e.NODE_ENV === 'production' ? 'invite-only' : 'open'),
    adminEmails: splitList(e.ADMIN_EMAILS).map((x) => x.toLowerCase()),
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
    httpRedirectPort: e.HTTP_REDIRECT_PORT,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    webDistDir: resolve(e.WEB_DIST_DIR ?? resolve(import.meta.dirname, '../../web/dist')),
    rateLimits: e.RATE_LIMITS === 'on',
    push: {
      vapid,
      /** The one extra origin allowed as a push endpoint (never in production). */
      endpointBaseUrl: e.PUSH_ENDPOINT_BASE_URL && e.NODE_ENV !== 'production' ? new URL(e.PUSH_ENDPOINT_BASE_URL).origin : undefined,
    },
    warnings,
  } as const;
}

/** Rejects obviously weak secrets (repeated characters, few distinct characters, well-known words). */
function weakness(value: string): string | undefined {
  const distinct = new Set(value).size;
  if (distinct < 10) return 'has too few distinct characters to be a random key';
  if (/(password|secret|changeme|example|queuecrew)/i.test(value)) return 'contains a guessable word';
  return undefined;
}

/** A fresh VAPID key pair (P-256), base64url: the same format `npx web-push generate-vapid-keys` prints. */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // getPrivateKey() drops leading zero bytes (1 key in 256 comes out shorter): pad it to the 32 bytes
  // a P-256 private key has, or the production check below refuses the key we generated.
  const priv = ecdh.getPrivateKey();
  const padded = Buffer.concat([Buffer.alloc(32 - priv.length), priv]);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: padded.toString('base64url') };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Problems with a VAPID configuration: key formats, the pair matching, and the subject's scheme. */
function vapidProblems(v: VapidConfig): string[] {
  const problems: string[] = [];
  const pub = BASE64URL.test(v.publicKey) ? Buffer.from(v.publicKey, 'base64url') : Buffer.alloc(0);
  const priv = BASE64URL.test(v.privateKey) ? Buffer.from(v.privateKey, 'base64url') : Buffer.alloc(0);
  if (pub.length !== 65 || pub[0] !== 4)
    problems.push(
      'VAPID_PUBLIC_KEY: must be a base64url P-256 public key (65 bytes; generate a pair with: npx web-push generate-vapid-keys)',
    );
  if (priv.length !== 32) problems.push('VAPID_PRIVATE_KEY: must be a base64url P-256 private key (32 bytes)');
  if (problems.length === 0) {
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(priv);
      if (!ecdh.getPublicKey().equals(pub)) problems.push('VAPID_PUBLIC_KEY: does not belong to VAPID_PRIVATE_KEY');
    } catch {
      problems.push('VAPID_PRIVATE_KEY: is not a valid P-256 private key');
    }
  }
  let subject: URL | undefined;
  try {
    subject = new URL(v.subject);
  } catch {
    subject = undefined;
  }
  if (!subject || !['mailto:', 'https:'].includes(subject.protocol))
    problems.push('VAPID_SUBJECT: must be a mailto: address or an https: URL (push services use it to contact you)');
  return problems;
}

function loadOrCreateDevSecrets(dataDir: string, missing: SecretName[], warnings: string[], wantVapid = false): Record<string, string> {
  const file = resolve(dataDir, 'secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  }
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  const generated: string[] = [...missing];
  if (wantVapid && (!stored.VAPID_PUBLIC_KEY || !stored.VAPID_PRIVATE_KEY)) {
    const pair = generateVapidKeys();
    stored.VAPID_PUBLIC_KEY = pair.publicKey;
    stored.VAPID_PRIVATE_KEY = pair.privateKey;
    generated.push('VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY');
    changed = true;
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
    warnings.push(`Generated development secrets (${generated.join(', ')}) into ${file}. Set them in the environment for production.`);
  }
  return stored;
}

/** Reads and validates the configuration; throws ConfigError with one line per problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, so `FOO=` in a .env file does not trip validation.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const warnings: string[] = [];
  const missing = SECRET_NAMES.filter((n) => !e[n]);
  let secrets: Record<string, string | undefined> = Object.fromEntries(SECRET_NAMES.map((n) => [n, e[n]]));
  let devVapid: { publicKey: string; privateKey: string } | undefined;

  if (e.NODE_ENV === 'production') {
    for (const n of missing) problems.push(`${n}: is required when NODE_ENV=production (generate one with: openssl rand -base64 32)`);
    for (const n of SECRET_NAMES) {
      const v = e[n];
      const weak = v ? weakness(v) : undefined;
      if (weak) problems.push(`${n}: ${weak}`);
    }
    const distinct = new Set(SECRET_NAMES.map((n) => e[n]).filter(Boolean));
    if (distinct.size < SECRET_NAMES.filter((n) => e[n]).length) problems.push('secrets: each secret must be different');
    // /metrics reveals versions, traffic and sign-in failure counts: never public in production.
    if (!e.METRICS_TOKEN) problems.push('METRICS_TOKEN: is required when NODE_ENV=production (generate one with: openssl rand -hex 24)');
    if (!e.APP_URL) warnings.push('APP_URL is not set: set it to the address people open (e.g. https://queuecrew.example).');
    else if (!e.APP_URL.startsWith('https://'))
      warnings.push('APP_URL is not https: cookies will not be Secure. Serve QueueCrew behind TLS in production.');
  } else if (missing.length > 0 || !e.VAPID_PUBLIC_KEY || !e.VAPID_PRIVATE_KEY) {
    const wantVapid = !e.VAPID_PUBLIC_KEY && !e.VAPID_PRIVATE_KEY;
    const stored = loadOrCreateDevSecrets(resolve(e.DATA_DIR), missing, warnings, wantVapid);
    secrets = { ...secrets, ...Object.fromEntries(missing.map((n) => [n, stored[n]])) };
    if (wantVapid) devVapid = { publicKey: stored.VAPID_PUBLIC_KEY!, privateKey: stored.VAPID_PRIVATE_KEY! };
  }
  // Web Push: required in production; in development a key pair is generated once into data/secrets.json.
  if (e.NODE_ENV === 'production') {
    for (const n of ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] as const)
      if (!e[n]) problems.push(`${n}: is required when NODE_ENV=production (generate a key pair with: npx web-push generate-vapid-keys)`);
    if (e.PUSH_ENDPOINT_BASE_URL) problems.push('PUSH_ENDPOINT_BASE_URL: is for development and tests only; unset it in production');
  } else if (!e.VAPID_PUBLIC_KEY !== !e.VAPID_PRIVATE_KEY) {
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both or neither');
  }
  const vapid: VapidConfig = {
    publicKey: e.VAPID_PUBLIC_KEY ?? devVapid?.publicKey ?? '',
    privateKey: e.VAPID_PRIVATE_KEY ?? devVapid?.privateKey ?? '',
    subject: e.VAPID_SUBJECT ?? (e.NODE_ENV === 'production' ? '' : 'mailto:push@queuecrew.invalid'),
  };
  if (vapid.publicKey && vapid.privateKey && vapid.subject) problems.push(...vapidProblems(vapid));
  if ((e.TLS_CERT_FILE && !e.TLS_KEY_FILE) || (!e.TLS_CERT_FILE && e.TLS_KEY_FILE)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE: set both or neither');
  }
  if (e.DISCORD_CLIENT_ID && !e.DISCORD_CLIENT_SECRET) problems.push('DISCORD_CLIENT_SECRET: is required when DISCORD_CLIENT_ID is set');
  if (!!e.DISCORD_PUBLIC_KEY !== !!e.DISCORD_APPLICATION_ID)
    problems.push('DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID: set both (for Discord interactions) or neither');
  if (e.NODE_ENV === 'production' && e.DISCORD_WEBHOOK_BASE_URL)
    problems.push('DISCORD_WEBHOOK_BASE_URL: is for development and tests only; unset it in production');
  if (problems.length > 0) throw new ConfigError(problems);
  return buildConfig(e, secrets as Record<SecretName, string>, vapid, warnings);
}
