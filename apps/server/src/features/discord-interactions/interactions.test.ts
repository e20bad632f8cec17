/**
 * Two-way Discord over real HTTP: interactions signed with the fake Discord's Ed25519 key and POSTed to
 * the real app on a real port; effects checked through the HTTP API. Attacks first.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../../../scripts/fake-discord/server.ts';
import { createApp } from '../../app.ts';
import { openDatabase, schema } from '../../db/client.ts';
import { loadConfig } from '../../env.ts';
import { ManualClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/logger.ts';
import { createServices } from '../../services.ts';
import { createTestApp, testEnv, type TestApp } from '../../test/create-test-app.ts';
import {
  autocompletePayload,
  buttonPayload,
  commandPayload,
  discordPerson,
  GUILD,
  linkDiscordId,
  linkPayload,
  MANAGE_GUILD_PERMS,
  OTHER_CHANNEL,
  OTHER_GUILD,
  PLAIN_PERMS,
  startInteractionServer,
  type DiscordPerson,
  type InteractionAnswer,
  type InteractionServer,
} from '../../test/discord-interactions.ts';
import { createUser, type TestUser } from '../../test/factories.ts';
import { addMembers, createGroup } from '../../test/group-factories.ts';

const APP_ID = '900000000000000001';
const NOON = '2026-11-26T12:00:00.000Z';
const TODAY = '2026-11-26';

let fake: FakeDiscord;
let t: TestApp;
let srv: InteractionServer;
let clock: ManualClock;
let owner: TestUser;
let member: TestUser;
let ownerDiscord: DiscordPerson;
let memberDiscord: DiscordPerson;
let channelCounter = 0;

beforeAll(async () => {
  fake = await startFakeDiscord({ clientId: APP_ID });
  t = await createTestApp({ DISCORD_PUBLIC_KEY: fake.publicKeyHex, DISCORD_APPLICATION_ID: APP_ID, ...fake.env });
  clock = new ManualClock(NOON);
  t.services.clock = clock;
  srv = await startInteractionServer(t, fake);
  owner = await createUser(t);
  member = await createUser(t);
  ownerDiscord = discordPerson('owner');
  memberDiscord = discordPerson('member');
  await linkDiscordId(t, owner.id, ownerDiscord.id);
  await linkDiscordId(t, member.id, memberDiscord.id);
});
afterAll(async () => {
  await srv.stop();
  await t.close();
  await fake.stop();
});
beforeEach(() => clock.set(NOON));

async function answer(res: Response): Promise<InteractionAnswer> {
  expect(res.status).toBe(200);
  return (await res.json()) as InteractionAnswer;
}

/** A group (UTC, night at 20:00, voting until 19:30) with `member`, linked to a fresh channel of GUILD. */
async function linkedGroup(opts: { policy?: 'members' | 'channel'; name?: string } = {}) {
  const g = await createGroup(t, owner, { timezone: 'UTC', ...(opts.name ? { name: opts.name } : {}) });
  await addMembers(t, g.id, owner, [member]);
  if (opts.policy) {
    const res = await t.request(`/api/groups/${g.id}`, { method: 'PATCH', json: { discordJoinPolicy: opts.policy }, cookie: owner.cookie });
    expect(res.status).toBe(200);
  }
  channelCounter += 1;
  const channelId = `8200000000000${String(channelCounter).padStart(5, '0')}`;
  const code = await newLinkCode(g.id);
  const linked = await answer(await srv.send(linkPayload(ownerDiscord, code, { channelId, permissions: MANAGE_GUILD_PERMS })));
  expect(linked.data?.content).toMatch(/^Linked this channel/);
  return { ...g, channelId, where: { channelId } };
}

async function newLinkCode(groupId: string, user: TestUser = owner): Promise<string> {
  const res = await t.request(`/api/groups/${groupId}/discord/link-code`, { method: 'POST', cookie: user.cookie });
  expect(res.status).toBe(201);
  return ((await res.json()) as { code: string }).code;
}

async function suggest(groupId: string, gameName: string, user: TestUser = owner): Promise<string> {
  const res = await t.request(`/api/groups/${groupId}/suggestions`, { json: { gameName, date: TODAY }, cookie: user.cookie });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function suggestions(groupId: string) {
  const res = await t.request(`/api/groups/${groupId}/suggestions?date=${TODAY}`, { cookie: owner.cookie });
  return (await res.json()) as Array<{ id: string; gameName: string; votes: number | null; voters: Array<{ id: string }> }>;
}

async function discordChannelOf(groupId: string) {
  const res = await t.request(`/api/groups/${groupId}`, { cookie: owner.cookie });
  return ((await res.json()) as { discordChannel?: unknown }).discordChannel;
}

function cardText(a: InteractionAnswer): string {
  const e = a.data?.embeds?.[0];
  return [e?.description ?? '', ...(e?.fields ?? []).map((f) => `${f.name}\n${f.value}`)].join('\n');
}
const buttons = (a: InteractionAnswer) => (a.data?.components ?? []).flatMap((r) => r.components);

describe('signature (attacks)', () => {
  const ping = () => ({ id: '1300000000000000001', type: 1, application_id: APP_ID, token: 'x', version: 1 });

  it('refuses a request without signature headers with 401', async () => {
    expect((await srv.send(ping(), { unsigned: true })).status).toBe(401);
  });

  it('refuses an altered body, an altered timestamp and a signature by another key with 401', async () => {
    const body = JSON.stringify(ping());
    const ts = String(Math.floor(clock.now().getTime() / 1000));
    const good = fake.signInteraction(body, ts);
    const altered = body.replace('"type":1', '"type":1 ');
    expect((await srv.send(null, { body: altered, unsigned: true, headers: good })).status).toBe(401);
    expect(
      (await srv.send(null, { body, unsigned: true, headers: { ...good, 'x-signature-timestamp': String(Number(ts) - 1) } })).status,
    ).toBe(401);
    const other = generateKeyPairSync('ed25519').privateKey;
    const foreign = (b: string, stamp = ts) => ({
      'x-signature-ed25519': sign(null, Buffer.from(stamp + b), other).toString('hex'),
      'x-signature-timestamp': stamp,
    });
    const res = await srv.send(ping(), { signer: foreign });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid_signature' });
    expect((await srv.send(null, { body, unsigned: true, headers: { ...good, 'x-signature-ed25519': 'zz'.repeat(64) } })).status).toBe(401);
  });

  it('refuses a timestamp older than 5 minutes, or too far in the future, with 401', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    expect((await srv.send(ping(), { timestamp: String(now - 301) })).status).toBe(401);
    expect((await srv.send(ping(), { timestamp: String(now + 120) })).status).toBe(401);
    expect((await srv.send(ping(), { timestamp: String(now - 200) })).status).toBe(200);
  });

  it('applies nothing for a forged interaction (a link with another key binds no channel)', async () => {
    const g = await createGroup(t, owner, { timezone: 'UTC' });
    const code = await newLinkCode(g.id);
    const other = generateKeyPairSync('ed25519').privateKey;
    const res = await srv.send(linkPayload(ownerDiscord, code, { channelId: '8300000000000000001', permissions: MANAGE_GUILD_PERMS }), {
      signer: (b, stamp = '0') => ({
        'x-signature-ed25519': sign(null, Buffer.from(stamp + b), other).toString('hex'),
        'x-signature-timestamp': stamp,
      }),
    });
    expect(res.status).toBe(401);
    expect(await discordChannelOf(g.id)).toBeNull();
  });

  it('answers PING with {type: 1}, even with a foreign Origin (the signature replaces the CSRF check)', async () => {
    const res = await srv.send(ping(), { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it('answers 400 for malformed JSON or a wrong shape after a valid signature, and 413 over 64 KiB', async () => {
    expect((await srv.send(null, { body: '{"type":' })).status).toBe(400);
    expect((await srv.send({ id: 'not-a-snowflake', type: 'two' })).status).toBe(400);
    expect((await srv.send(null, { body: JSON.stringify({ ...ping(), pad: 'x'.repeat(70_000) }) })).status).toBe(413);
  });

  it('offers the install link with the applications.commands scope only (no bot), and none when it is off', async () => {
    const cfg = (await (await t.request('/api/auth/config')).json()) as { discordInstallUrl: string | null };
    const url = new URL(cfg.discordInstallUrl!);
    expect(url.searchParams.get('client_id')).toBe(APP_ID);
    expect(url.searchParams.get('scope')).toBe('applications.commands');
    expect(url.searchParams.has('permissions')).toBe(false);
    const bare = await createTestApp();
    try {
      expect(await (await bare.request('/api/auth/config')).json()).toMatchObject({ discordInstallUrl: null });
    } finally {
      await bare.close();
    }
  });

  it('is 404 when the instance has no DISCORD_PUBLIC_KEY', async () => {
    const bare = await createTestApp();
    try {
      const res = await bare.request('/api/discord/interactions', { json: ping(), headers: fake.signInteraction(JSON.stringify(ping())) });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'discord_interactions_not_configured' });
    } finally {
      await bare.close();
    }
  });
});

describe('linking a channel', () => {
  it('refuses /queuecrew link without Manage Server (ephemeral, nothing bound) and binds with it', async () => {
    const g = await createGroup(t, owner, { timezone: 'UTC' });
    const code = await newLinkCode(g.id);
    const refused = await answer(
      await srv.send(linkPayload(memberDiscord, code, { channelId: '8400000000000000001', permissions: PLAIN_PERMS })),
    );
    expect(refused.type).toBe(4);
    expect(refused.data?.flags).toBe(64);
    expect(refused.data?.allowed_mentions).toEqual({ parse: [] });
    expect(await discordChannelOf(g.id)).toBeNull();
    const events = await t.services.database.db
      .select()
      .from(schema.securityEvents)
      .where(eq(schema.securityEvents.type, 'discord_interaction_refused'));
    expect(events.some((e) => (e.detail ?? '').includes('missing_manage_guild') && (e.detail ?? '').includes(memberDiscord.id))).toBe(true);

    const ok = await answer(
      await srv.send(linkPayload(ownerDiscord, code, { channelId: '8400000000000000001', permissions: MANAGE_GUILD_PERMS })),
    );
    expect(ok.data?.flags).toBe(64);
    expect(await discordChannelOf(g.id)).toEqual({ guildId: GUILD, channelId: '8400000000000000001', joinPolicy: 'members' });
  });

  it('uses a code once, and not after 10 minutes', async () => {
    const g = await createGroup(t, owner, { timezone: 'UTC' });
    const code = await newLinkCode(g.id);
    await answer(await srv.send(linkPayload(ownerDiscord, code, { channelId: '8500000000000000001', permissions: MANAGE_GUILD_PERMS })));
    const again = await answer(
      await srv.send(linkPayload(ownerDiscord, code, { channelId: '8500000000000000002', permissions: MANAGE_GUILD_PERMS })),
    );
    expect(again.data?.content).toMatch(/not valid/);
    expect(await discordChannelOf(g.id)).toMatchObject({ channelId: '8500000000000000001' });

    const late = await newLinkCode(g.id);
    clock.set(new Date(clock.now().getTime() + 10 * 60_000 + 1000));
    const expired = await answer(
      await srv.send(linkPayload(ownerDiscord, late, { channelId: '8500000000000000003', permissions: MANAGE_GUILD_PERMS })),
    );
    expect(expired.data?.content).toMatch(/not valid/);
    expect(await discordChannelOf(g.id)).toMatchObject({ channelId: '8500000000000000001' });
  });

  it('stores only a hash of the code; members cannot create codes or unlink; admins unlink (204)', async () => {
    const g = await linkedGroup();
    const code = await newLinkCode(g.id);
    const rows = await t.services.database.db.select().from(schema.discordLinkCodes).where(eq(schema.discordLinkCodes.groupId, g.id));
    expect(JSON.stringify(rows)).not.toContain(code.replace(/-/g, '').slice(2));
    expect((await t.request(`/api/groups/${g.id}/discord/link-code`, { method: 'POST', cookie: member.cookie })).status).toBe(403);
    expect((await t.request(`/api/groups/${g.id}/discord/channel`, { method: 'DELETE', cookie: member.cookie })).status).toBe(403);
    const memberView = (await (await t.request(`/api/groups/${g.id}`, { cookie: member.cookie })).json()) as Record<string, unknown>;
    expect(memberView).not.toHaveProperty('discordChannel');
    expect((await t.request(`/api/groups/${g.id}/discord/channel`, { method: 'DELETE', cookie: owner.cookie })).status).toBe(204);
    expect(await discordChannelOf(g.id)).toBeNull();
    const after = await answer(await srv.send(commandPayload(memberDiscord, 'tonight', [], g.where)));
    expect(after.data?.flags).toBe(64);
  });

  it('refuses an unknown field on PATCH and takes discordJoinPolicy', async () => {
    const g = await linkedGroup();
    const bad = await t.request(`/api/groups/${g.id}`, { method: 'PATCH', json: { discordJoinPolicy: 'everyone' }, cookie: owner.cookie });
    expect(bad.status).toBe(400);
    await t.request(`/api/groups/${g.id}`, { method: 'PATCH', json: { discordJoinPolicy: 'channel' }, cookie: owner.cookie });
    expect(await discordChannelOf(g.id)).toMatchObject({ joinPolicy: 'channel' });
  });
});

describe('the card and its buttons', () => {
  it('/tonight answers type 4 with the card: deadline, start, tallies, who is in, vote, RSVP and link buttons', async () => {
    const g = await linkedGroup({ name: 'Friday crew' });
    const a = await suggest(g.id, 'Deep Rock Galactic');
    const card = await answer(await srv.send(commandPayload(memberDiscord, 'tonight', [], g.where)));
    expect(card.type).toBe(4);
    expect(card.data?.allowed_mentions).toEqual({ parse: [] });
    const text = cardText(card);
    expect(text).toContain('Friday crew');
    expect(text).toContain(`<t:${Date.parse('2026-11-26T19:30:00Z') / 1000}:R>`);
    expect(text).toContain(`<t:${Date.parse('2026-11-26T20:00:00Z') / 1000}:t>`);
    expect(text).toContain('Deep Rock Galactic — 1 ✓');
    const all = buttons(card);
    expect(all.find((b) => b.custom_id === `qc:vote:${a}`)?.label).toBe('Deep Rock Galactic (1)');
    expect(all.map((b) => b.custom_id)).toEqual(
      expect.arrayContaining([`qc:rsvp:${g.id}:${TODAY}:in`, `qc:rsvp:${g.id}:${TODAY}:maybe`, `qc:rsvp:${g.id}:${TODAY}:out`]),
    );
    expect(all.find((b) => b.style === 5)?.url).toBe(`http://localhost:3000/groups/${g.id}?day=${TODAY}`);
  });

  it('a vote press toggles the approval of the linked account and answers type 7 with the redrawn card', async () => {
    const g = await linkedGroup();
    const id = await suggest(g.id, 'Valheim');
    const pressed = await answer(await srv.send(buttonPayload(memberDiscord, `qc:vote:${id}`, g.where)));
    expect(pressed.type).toBe(7);
    expect(buttons(pressed).find((b) => b.custom_id === `qc:vote:${id}`)?.label).toBe('Valheim (2)');
    expect((await suggestions(g.id))[0]).toMatchObject({ votes: 2 });
    expect((await suggestions(g.id))[0]!.voters.map((v) => v.id)).toContain(member.id);
    const again = await answer(await srv.send(buttonPayload(memberDiscord, `qc:vote:${id}`, g.where)));
    expect(buttons(again).find((b) => b.custom_id === `qc:vote:${id}`)?.label).toBe('Valheim (1)');
    expect((await suggestions(g.id))[0]).toMatchObject({ votes: 1 });
  });

  it('an RSVP press sets the answer (seen through the nights API) and redraws the card', async () => {
    const g = await linkedGroup();
    const pressed = await answer(await srv.send(buttonPayload(memberDiscord, `qc:rsvp:${g.id}:${TODAY}:in`, g.where)));
    expect(pressed.type).toBe(7);
    // Usernames are escaped for Discord markdown too (user_… → user\_…).
    expect(cardText(pressed)).toMatch(/In \(1\)\nuser\\_/);
    const night = (await (await t.request(`/api/groups/${g.id}/nights/${TODAY}`, { cookie: member.cookie })).json()) as {
      myRsvp: string;
      rsvps: { in: Array<{ id: string }> };
    };
    expect(night.myRsvp).toBe('in');
    expect(night.rsvps.in.map((u) => u.id)).toEqual([member.id]);
    await answer(await srv.send(commandPayload(memberDiscord, 'rsvp', [{ type: 3, name: 'status', value: 'out' }], g.where)));
    const after = (await (await t.request(`/api/groups/${g.id}/nights/${TODAY}`, { cookie: member.cookie })).json()) as { myRsvp: string };
    expect(after.myRsvp).toBe('out');
  });

  it('applies a replayed interaction id once (same instance, and a second instance on the same database)', async () => {
    const g = await linkedGroup();
    const id = await suggest(g.id, 'Factorio');
    const payload = buttonPayload(memberDiscord, `qc:vote:${id}`, g.where);
    await answer(await srv.send(payload));
    const replay = await answer(await srv.send(payload));
    expect(replay.type).toBe(7);
    expect((await suggestions(g.id))[0]).toMatchObject({ votes: 2 });

    // A second instance: its own services and connection on the same database file.
    const config = loadConfig(testEnv(t.dir, { DISCORD_PUBLIC_KEY: fake.publicKeyHex, DISCORD_APPLICATION_ID: APP_ID }));
    const logger = createLogger('silent');
    const database = await openDatabase(config, logger);
    const services = createServices(config, database, logger, { clock });
    const second = await startInteractionServer({ app: createApp(services), services }, fake);
    try {
      await answer(await second.send(payload));
      expect((await suggestions(g.id))[0]).toMatchObject({ votes: 2 });
    } finally {
      await second.stop();
      await services.rateLimiter.close();
      database.close();
    }
  });

  it('a press from another guild or channel changes nothing and answers ephemerally (security event)', async () => {
    const g = await linkedGroup();
    const id = await suggest(g.id, 'Rust');
    for (const where of [{ guildId: OTHER_GUILD, channelId: g.channelId }, { channelId: OTHER_CHANNEL }]) {
      const vote = await answer(await srv.send(buttonPayload(memberDiscord, `qc:vote:${id}`, where)));
      expect(vote.type).toBe(4);
      expect(vote.data?.flags).toBe(64);
      const rsvp = await answer(await srv.send(buttonPayload(memberDiscord, `qc:rsvp:${g.id}:${TODAY}:in`, where)));
      expect(rsvp.data?.flags).toBe(64);
    }
    expect((await suggestions(g.id))[0]).toMatchObject({ votes: 1 });
    const night = (await (await t.request(`/api/groups/${g.id}/nights/${TODAY}`, { cookie: member.cookie })).json()) as { myRsvp: unknown };
    expect(night.myRsvp).toBeNull();
    // The channel of another linked group cannot act on this group's suggestion either.
    const other = await linkedGroup();
    const cross = await answer(await srv.send(buttonPayload(memberDiscord, `qc:vote:${id}`, other.where)));
    expect(cross.data?.flags).toBe(64);
    expect((await suggestions(g.id))[0]).toMatchObject({ votes: 1 });
    const events = await t.services.database.db.select().from(schema.securityEvents).where(eq(schema.securityEvents.groupId, g.id));
    expect(
      events.filter((e) => e.type === 'discord_interaction_refused' && (e.detail ?? '').includes('wrong_channel')).length,
    ).toBeGreaterThanOrEqual(5);
  });

  it('shows no tallies while results are hidden, and says so', async () => {
    const g = await linkedGroup();
    await t.request(`/api/groups/${g.id}`, {
      method: 'PATCH',
      json: { nightDefaults: { resultsVisibility: 'after_close' } },
      cookie: owner.cookie,
    });
    const id = await suggest(g.id, 'Stardew Valley');
    const card = await answer(await srv.send(buttonPayload(memberDiscord, `qc:vote:${id}`, g.where)));
    const text = cardText(card);
    expect(text).toContain('Stardew Valley');
    expect(text).not.toMatch(/✓|Stardew Valley \(\d+\)/);
    expect(text).toContain('hidden until the deadline');
    expect(buttons(card).find((b) => b.custom_id === `qc:vote:${id}`)?.label).toBe('Stardew Valley');
  });

  it('makes markdown, links and mentions in a game name inert', async () => {
    const g = await linkedGroup();
    await suggest(g.id, '**@everyone** [free](https://evil.example) <@123> `x`');
    const card = await answer(await srv.send(commandPayload(memberDiscord, 'tonight', [], g.where)));
    const text = cardText(card);
    expect(card.data?.allowed_mentions).toEqual({ parse: [] });
    expect(text).toContain('\\*\\*\\@everyone\\*\\*');
    expect(text).not.toContain('https://evil');
    expect(text).not.toContain('<@123>');
    expect(text).not.toMatch(/(^|[^\\])\[free\]/);
  });

  it('/suggest adds a suggestion (autocomplete offers the group’s past games), a closed night answers ephemerally', async () => {
    const g = await linkedGroup();
    await suggest(g.id, 'Terraria');
    const choices = await answer(await srv.send(autocompletePayload(memberDiscord, 'terr', g.where)));
    expect(choices.type).toBe(8);
    expect(choices.data?.choices).toEqual([{ name: 'Terraria', value: 'Terraria' }]);
    const added = await answer(
      await srv.send(commandPayload(memberDiscord, 'suggest', [{ type: 3, name: 'game', value: 'Among Us' }], g.where)),
    );
    expect(added.type).toBe(4);
    expect((await suggestions(g.id)).map((s) => s.gameName)).toContain('Among Us');
    clock.set('2026-11-26T19:31:00Z');
    const late = await answer(
      await srv.send(commandPayload(memberDiscord, 'suggest', [{ type: 3, name: 'game', value: 'Late Game' }], g.where)),
    );
    expect(late.data?.flags).toBe(64);
    expect((await suggestions(g.id)).map((s) => s.gameName)).not.toContain('Late Game');
  });

  it('answers an unknown command or custom id with an ephemeral "not understood"', async () => {
    const g = await linkedGroup();
    const a = await answer(await srv.send(buttonPayload(memberDiscord, 'qc:nope:1', g.where)));
    expect(a.data?.flags).toBe(64);
    expect(a.data?.content).toMatch(/did not understand/);
  });
});

describe('join policies', () => {
  it('"members": a Discord user without an account gets a sign-in link, and nothing is created', async () => {
    const g = await linkedGroup({ policy: 'members' });
    const id = await suggest(g.id, 'Phasmophobia');
    const stranger = discordPerson('stranger');
    const a = await answer(await srv.send(buttonPayload(stranger, `qc:vote:${id}`, g.where)));
    expect(a.data?.flags).toBe(64);
    expect(buttons(a)[0]?.url).toContain('/api/auth/discord?link=1');
    expect(await t.services.database.db.select().from(schema.users).where(eq(schema.users.discordId, stranger.id))).toHaveLength(0);
    expect((await suggestions(g.id))[0]).toMatchObject({ votes: 1 });
  });

  it('"channel": the press makes an account from the Discord identity, joins it as member and counts the vote', async () => {
    const g = await linkedGroup({ policy: 'channel' });
    const id = await suggest(g.id, 'Lethal Company');
    const stranger = discordPerson('newcomer');
    const a = await answer(await srv.send(buttonPayload(stranger, `qc:vote:${id}`, g.where)));
    expect(a.type).toBe(7);
    const [user] = await t.services.database.db.select().from(schema.users).where(eq(schema.users.discordId, stranger.id));
    expect(user).toMatchObject({ username: stranger.username, passwordHash: null, email: null });
    const detail = (await (await t.request(`/api/groups/${g.id}`, { cookie: owner.cookie })).json()) as {
      members: Array<{ id: string; role: string }>;
    };
    expect(detail.members).toContainEqual(expect.objectContaining({ id: user!.id, role: 'member' }));
    expect((await suggestions(g.id))[0]!.voters.map((v) => v.id)).toContain(user!.id);
  });
});
