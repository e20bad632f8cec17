/**
 * Discord, as the interactions endpoint sees it: the real app listening on a real port, and interactions
 * signed with the fake Discord's Ed25519 key (scripts/fake-discord) POSTed to it over real HTTP. Payloads
 * have Discord's shape (https://discord.com/developers/docs/interactions/receiving-and-responding).
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { schema } from '../db/client.ts';
import type { FakeDiscord } from '../../../../scripts/fake-discord/server.ts';
import type { TestApp } from './create-test-app.ts';

export const GUILD = '800000000000000001';
export const CHANNEL = '810000000000000001';
export const OTHER_GUILD = '800000000000000099';
export const OTHER_CHANNEL = '810000000000000099';
/** Manage Server (0x20) plus a bit above 2^53, so only BigInt arithmetic reads it right. */
export const MANAGE_GUILD_PERMS = ((1n << 60n) | 0x20n | 0x400n).toString();
/** Send Messages etc., but not Manage Server. */
export const PLAIN_PERMS = ((1n << 60n) | 0x800n | 0x400n).toString();

export interface DiscordPerson {
  id: string;
  username: string;
}

export interface Where {
  guildId?: string;
  channelId?: string;
  permissions?: string;
}

let counter = 0;
export function snowflake(): string {
  counter += 1;
  return `12${String(Date.now()).slice(-9)}${String(counter).padStart(7, '0')}`;
}

export function discordPerson(name = 'pal'): DiscordPerson {
  return { id: snowflake(), username: `${name}_${counter}` };
}

function base(person: DiscordPerson, where: Where) {
  return {
    id: snowflake(),
    application_id: '900000000000000001',
    token: 'interaction-token-not-used',
    version: 1,
    guild_id: where.guildId ?? GUILD,
    channel_id: where.channelId ?? CHANNEL,
    member: {
      user: { id: person.id, username: person.username, global_name: null, avatar: null, discriminator: '0' },
      permissions: where.permissions ?? PLAIN_PERMS,
      roles: [],
      joined_at: '2026-01-01T00:00:00.000Z',
    },
    locale: 'en-US',
  };
}

export function commandPayload(person: DiscordPerson, name: string, options: Array<Record<string, unknown>> = [], where: Where = {}) {
  return { ...base(person, where), type: 2, data: { id: '700000000000000001', name, type: 1, options } };
}

export function linkPayload(person: DiscordPerson, code: string, where: Where = {}) {
  return commandPayload(person, 'queuecrew', [{ type: 1, name: 'link', options: [{ type: 3, name: 'code', value: code }] }], where);
}

export function buttonPayload(person: DiscordPerson, customId: string, where: Where = {}) {
  return { ...base(person, where), type: 3, message: { id: '600000000000000001' }, data: { custom_id: customId, component_type: 2 } };
}

export function autocompletePayload(person: DiscordPerson, typed: string, where: Where = {}) {
  return {
    ...base(person, where),
    type: 4,
    data: { name: 'suggest', type: 1, options: [{ type: 3, name: 'game', value: typed, focused: true }] },
  };
}

export interface InteractionServer {
  url: string;
  /** Signs (with the fake's key unless `signer` says otherwise) and POSTs over real HTTP. */
  send(
    payload: unknown,
    opts?: {
      timestamp?: string;
      body?: string;
      headers?: Record<string, string>;
      signer?: FakeDiscord['signInteraction'];
      unsigned?: boolean;
    },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export interface InteractionAnswer {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    allowed_mentions?: { parse: string[] };
    embeds?: Array<{ description?: string; fields?: Array<{ name: string; value: string }> }>;
    components?: Array<{
      type: number;
      components: Array<{ type: number; style: number; label: string; custom_id?: string; url?: string; disabled?: boolean }>;
    }>;
    choices?: Array<{ name: string; value: string }>;
  };
}

/** Listens with `t.app` on a free loopback port. */
export async function startInteractionServer(
  t: Pick<TestApp, 'app' | 'services'>,
  fake: Pick<FakeDiscord, 'signInteraction'>,
): Promise<InteractionServer> {
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async send(payload, opts = {}) {
      const body = opts.body ?? JSON.stringify(payload);
      const timestamp = opts.timestamp ?? String(Math.floor(t.services.clock.now().getTime() / 1000));
      const signed = opts.unsigned ? {} : (opts.signer ?? fake.signInteraction)(body, timestamp);
      return fetch(`${url}/api/discord/interactions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
          ...signed,
          ...opts.headers,
        },
        body,
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server!.close(() => resolve());
      }),
  };
}

/**
 * Test setup shortcut: marks `userId`'s account as linked to `discordId` (what the Discord linking flow
 * writes, tested in features/discord-signin/oauth.test.ts), so presses from that Discord user act as them.
 */
export async function linkDiscordId(t: Pick<TestApp, 'services'>, userId: string, discordId: string): Promise<void> {
  await t.services.database.write((tx) => tx.update(schema.users).set({ discordId }).where(eq(schema.users.id, userId)));
}
