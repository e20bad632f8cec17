/**
 * POST /api/discord/interactions: Discord's HTTP interactions. The order is the security design:
 *   1. configured? (404 otherwise)   2. raw body + Ed25519 signature + timestamp (401)   3. JSON and the
 *   fields we read (400, nothing applied)   4. PING   5. which group: the channel's binding, and for a
 *   button the binding of the suggestion's/night's group must be this very guild + channel (else an
 *   ephemeral refusal, a security event, nothing changed)   6. one write transaction: the interaction id
 *   is claimed first (a duplicate = already handled, nothing applied again), then who is pressing (the
 *   Discord user's linked account; join policy), then the effect   7. live events after the commit
 *   8. the answer (type 7 redraws the card for a press).
 */
import { gameNameSchema } from '@queuecrew/shared';
import type { Context } from 'hono';
import { auditRequest } from '../../lib/audit.ts';
import type { AppEnv } from '../../lib/context.ts';
import { AppError, fieldDetails } from '../../lib/errors.ts';
import { getRegistrationPolicy, type RegistrationPolicy } from '../../lib/settings.ts';
import { schema, type Tx } from '../../db/client.ts';
import { decideRegistration } from '../auth/index.ts';
import { enqueueSuggestionAnnouncement, inert } from '../announcements/index.ts';
import { createDiscordUser, findUserByDiscordId } from '../discord-signin/index.ts';
import { findGroup, findMember, publishEvents, type GroupRow } from '../groups/index.ts';
import { gameDto, gameEvent } from '../games/index.ts';
import {
  nightDto,
  nightOrVirtual,
  methodOf,
  openNightForVotes,
  requireMethod,
  requirePlannableDay,
  requireTakesVotes,
  resultsHidden,
  rsvpTx,
  todayIn,
} from '../nights/index.ts';
import {
  deleteVote,
  findSuggestion,
  hideList,
  hideTally,
  insertSuggestion,
  insertVote,
  isDuplicate,
  listSuggestions,
  suggestionDto,
  votersOf,
} from '../suggestions/index.ts';
import { NO_MENTIONS, renderCard, type CardMessage } from './card.ts';
import { channelOfGroup, groupOfChannel, hasVoted, isMember, pastGameNames, type ChannelRow } from './data.ts';
import { bindChannel, claimInteraction, joinAsMember } from './mutations.ts';
import {
  EPHEMERAL,
  hasPermission,
  interactionSchema,
  InteractionType,
  MANAGE_GUILD,
  optionsOf,
  ResponseType,
  type Interaction,
  type InteractionUser,
} from './payload.ts';
import { signatureProblem } from './verify.ts';

type C = Context<AppEnv>;
interface Answer {
  type: number;
  data?: unknown;
}

const VOTE_ID = /^qc:vote:([A-Za-z0-9_-]{1,64})$/;
const RSVP_ID = /^qc:rsvp:([A-Za-z0-9_-]{1,64}):(\d{4}-\d{2}-\d{2}):(in|maybe|out)$/;
const RSVP_WORDS = { in: "you're in", maybe: 'maybe', out: "you're out" } as const;

/** An answer only the presser sees (flags 64); mentions never parse. */
function ephemeral(content: string, components?: unknown[]): Answer {
  return {
    type: ResponseType.MESSAGE,
    data: { content: content.slice(0, 2000), flags: EPHEMERAL, allowed_mentions: NO_MENTIONS, ...(components ? { components } : {}) },
  };
}

const cardAnswer = (type: 4 | 7, card: CardMessage, content?: string): Answer => ({
  type,
  data: { ...(content ? { content } : {}), ...card },
});

interface Where {
  interactionId: string;
  guildId: string | null;
  channelId: string | null;
  user: InteractionUser;
}

/** Every refusal is a security event with guild, channel and user ids, and an ephemeral answer. */
async function refuse(c: C, where: Where, reason: string, message: string, groupId?: string): Promise<Answer> {
  c.get('logger').warn(
    { reason, guildId: where.guildId, channelId: where.channelId, alert: 'discord_interaction_refused' },
    'discord interaction refused',
  );
  await c.get('services').database.write((tx) =>
    auditRequest(
      c,
      {
        type: 'discord_interaction_refused',
        groupId: groupId ?? null,
        detail: {
          reason,
          guildId: where.guildId,
          channelId: where.channelId,
          discordUserId: where.user.id,
          interactionId: where.interactionId,
        },
      },
      tx,
    ),
  );
  return ephemeral(message);
}

export async function handleInteraction(c: C): Promise<Response> {
  const services = c.get('services');
  const cfg = services.config.discordInteractions;
  if (!cfg) {
    throw new AppError(
      404,
      'discord_interactions_not_configured',
      'Discord interactions are not set up on this instance: the administrator sets DISCORD_PUBLIC_KEY and DISCORD_APPLICATION_ID.',
    );
  }
  // The raw bytes, exactly as signed: read before anything parses them (the 64 KiB body limit applies).
  const raw = Buffer.from(await c.req.arrayBuffer());
  const problem = signatureProblem(
    cfg.publicKey,
    c.req.header('x-signature-ed25519'),
    c.req.header('x-signature-timestamp'),
    raw,
    services.clock.now().getTime(),
  );
  if (problem) {
    c.get('logger').warn({ problem, alert: 'discord_signature_refused' }, 'discord interaction with a bad signature');
    throw new AppError(401, 'invalid_signature', 'The request signature is missing, does not verify, or is too old.');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  const parsed = interactionSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(400, 'invalid_input', 'This interaction does not have the expected shape.', fieldDetails(parsed.error.issues));
  }
  const interaction = parsed.data;
  if (interaction.type === InteractionType.PING) return c.json({ type: ResponseType.PONG }, 200);
  return c.json(await dispatch(c, interaction), 200);
}

async function dispatch(c: C, i: Interaction): Promise<Answer> {
  const user = i.member?.user ?? i.user;
  if (!user) throw new AppError(400, 'invalid_input', 'This interaction has no user.');
  const where: Where = { interactionId: i.id, guildId: i.guild_id ?? null, channelId: i.channel_id ?? null, user };
  if (!where.guildId || !where.channelId)
    return refuse(c, where, 'no_guild', 'QueueCrew works in the Discord channel linked to your group, not in direct messages.');

  if (i.type === InteractionType.COMMAND) {
    const { path, values } = optionsOf(i);
    const name = i.data?.name;
    if (name === 'queuecrew' && path[0] === 'link') return link(c, i, where, String(values.get('code')?.value ?? ''));
    if (name === 'tonight') return tonight(c, where);
    if (name === 'suggest') return suggest(c, where, String(values.get('game')?.value ?? ''));
    if (name === 'rsvp') return rsvpCommand(c, where, String(values.get('status')?.value ?? ''));
  } else if (i.type === InteractionType.COMPONENT) {
    const id = i.data?.custom_id ?? '';
    const vote = VOTE_ID.exec(id);
    if (vote) return votePress(c, where, vote[1]!);
    const rsvp = RSVP_ID.exec(id);
    if (rsvp) return rsvpPress(c, where, rsvp[1]!, rsvp[2]!, rsvp[3] as 'in' | 'maybe' | 'out');
  } else if (i.type === InteractionType.AUTOCOMPLETE && i.data?.name === 'suggest') {
    return autocomplete(c, where, i);
  }
  return ephemeral('QueueCrew did not understand that. Try `/tonight`, `/suggest`, `/rsvp` or `/queuecrew link`.');
}

// ——— which group ———————————————————————————————————————————————————————————————————————————

/** The group bound to the interaction's channel (commands). */
async function boundGroup(c: C, where: Where): Promise<{ group: GroupRow; binding: ChannelRow } | Answer> {
  const db = c.get('services').database.db;
  const binding = await groupOfChannel(db, where.guildId!, where.channelId!);
  const group = binding ? await findGroup(db, binding.groupId) : undefined;
  if (!binding || !group) {
    return refuse(
      c,
      where,
      'channel_not_linked',
      'This channel is not linked to a QueueCrew group. A group admin creates a link code in the group settings, then someone with Manage Server types `/queuecrew link code:<code>` here.',
    );
  }
  return { group, binding };
}

/** A button names its group (directly or through a suggestion): it must be bound to this very guild + channel. */
async function groupForPress(c: C, where: Where, groupId: string): Promise<GroupRow | Answer> {
  const db = c.get('services').database.db;
  const [group, binding] = await Promise.all([findGroup(db, groupId), channelOfGroup(db, groupId)]);
  if (!group || !binding || binding.guildId !== where.guildId || binding.channelId !== where.channelId) {
    return refuse(
      c,
      where,
      'wrong_channel',
      'This button belongs to a QueueCrew group that is not linked to this channel. Nothing was changed.',
      group?.id,
    );
  }
  return group;
}

const isAnswer = (x: object): x is Answer => 'type' in x && typeof x.type === 'number';

// ——— who is pressing ———————————————————————————————————————————————————————————————————————

type Actor = { ok: true; userId: string; joined: boolean } | { ok: false; answer: Answer };

function signInAnswer(c: C, group: GroupRow): Answer {
  const { appUrl } = c.get('services').config;
  const url = `${appUrl}/api/auth/discord?link=1&returnTo=${encodeURIComponent(`/groups/${group.id}`)}`;
  return ephemeral(
    `Only members of **${inert(group.name, 60)}** can take part from Discord. Sign in to QueueCrew and link your Discord account, then press again. Not a member yet? Ask an admin for an invite.`,
    [{ type: 1, components: [{ type: 2, style: 5, label: 'Sign in and link Discord', url }] }],
  );
}

/**
 * The QueueCrew account behind the Discord user, inside the write: a linked account that is a member;
 * with the `channel` join policy a linked non-member joins, and someone without an account gets one made
 * from the Discord identity (as Discord sign-in makes it: no password, Discord sign-in works for it
 * later) and joins as member; both audited. With `members` everyone else gets the sign-in answer.
 */
async function actorFor(c: C, tx: Tx, group: GroupRow, user: InteractionUser, now: Date, registration: RegistrationPolicy): Promise<Actor> {
  const existing = await findUserByDiscordId(tx, user.id);
  if (existing?.disabledAt) return { ok: false, answer: ephemeral('This QueueCrew account is disabled.') };
  if (existing && (await isMember(tx, group.id, existing.id))) return { ok: true, userId: existing.id, joined: false };
  if (group.discordJoinPolicy !== 'channel') return { ok: false, answer: signInAnswer(c, group) };
  let userId = existing?.id;
  if (!userId) {
    // The admin opened the group to this channel, which stands in for an invite; a closed instance stays closed.
    const firstAccount = !(await tx.select({ id: schema.users.id }).from(schema.users).limit(1).get());
    const { adminEmails } = c.get('services').config;
    const decision = decideRegistration({ email: null, adminEmails, firstAccount, policy: registration, invited: true });
    if (decision.refusal) return { ok: false, answer: ephemeral('This QueueCrew instance does not take new accounts right now.') };
    const created = await createDiscordUser(
      tx,
      { id: user.id, username: user.username, global_name: user.global_name, avatar: user.avatar },
      decision.isInstanceAdmin,
    );
    userId = created.id;
    await auditRequest(c, { type: 'register', userId, detail: { method: 'discord_channel', groupId: group.id } }, tx);
    await auditRequest(c, { type: 'discord_linked', userId, detail: { discordId: user.id } }, tx);
  }
  await joinAsMember(tx, group.id, userId, now);
  await auditRequest(c, { type: 'discord_channel_joined', userId, groupId: group.id, detail: { discordUserId: user.id } }, tx);
  return { ok: true, userId, joined: true };
}

async function publishJoined(c: C, groupId: string, userId: string) {
  const member = await findMember(c.get('services').database.db, groupId, userId);
  if (member) await publishEvents(c, [{ type: 'member_joined', groupId, data: member }]);
}

/** Conflicts of the night rules (closed, cancelled, past, too far ahead) become an ephemeral answer. */
function ruleAnswer(e: unknown): Answer {
  if (e instanceof AppError && e.status < 500) return ephemeral(e.message);
  throw e;
}

// ——— the card ——————————————————————————————————————————————————————————————————————————————

async function cardFor(c: C, group: GroupRow, date: string): Promise<CardMessage> {
  const { database, clock, config } = c.get('services');
  const now = clock.now();
  const night = await nightOrVirtual(database.db, group, date, now);
  const hidden = resultsHidden(group, night);
  const [dto, list] = await Promise.all([nightDto(database.db, group, night, null), listSuggestions(database.db, group.id, date, '')]);
  return renderCard({ appUrl: config.appUrl, group, night: dto, suggestions: hidden ? hideList(list) : list, hidden, now });
}

// ——— commands ——————————————————————————————————————————————————————————————————————————————

async function link(c: C, i: Interaction, where: Where, code: string): Promise<Answer> {
  // The permission bits Discord computed for this member in this channel; Manage Server is required.
  if (!hasPermission(i.member?.permissions, MANAGE_GUILD)) {
    return refuse(c, where, 'missing_manage_guild', 'Linking a channel needs the Manage Server permission in this server.');
  }
  const { database, clock } = c.get('services');
  const now = clock.now();
  const result = await database.write(async (tx) => {
    if (!(await claimInteraction(tx, i.id, now))) return 'replayed' as const;
    const r = await bindChannel(tx, code.slice(0, 64), where.guildId!, where.channelId!, now);
    if (r.ok) {
      await auditRequest(
        c,
        {
          type: 'discord_channel_linked',
          groupId: r.groupId,
          detail: { guildId: where.guildId, channelId: where.channelId, discordUserId: where.user.id, replaced: r.replaced },
        },
        tx,
      );
    }
    return r;
  });
  if (result === 'replayed') return ephemeral('Already handled.');
  if (!result.ok) {
    return result.reason === 'channel_taken'
      ? refuse(
          c,
          where,
          'channel_taken',
          'This channel is already linked to another QueueCrew group. Unlink it in that group’s settings first.',
        )
      : refuse(
          c,
          where,
          'bad_link_code',
          'That link code is not valid: it may have expired (codes last 10 minutes) or been used. Create a new one in the group settings.',
        );
  }
  const group = await findGroup(database.db, result.groupId);
  return ephemeral(`Linked this channel to **${inert(group?.name ?? 'your group', 60)}**. Try \`/tonight\`.`);
}

async function tonight(c: C, where: Where): Promise<Answer> {
  const bound = await boundGroup(c, where);
  if (isAnswer(bound)) return bound;
  const today = todayIn(bound.group, c.get('services').clock.now());
  return cardAnswer(ResponseType.MESSAGE, await cardFor(c, bound.group, today));
}

async function suggest(c: C, where: Where, name: string): Promise<Answer> {
  const bound = await boundGroup(c, where);
  if (isAnswer(bound)) return bound;
  const { group } = bound;
  const checked = gameNameSchema.safeParse(name);
  if (!checked.success) return ephemeral(`That game name is not valid: ${checked.error.issues[0]?.message ?? 'check it and try again'}.`);
  const gameName = checked.data;
  const services = c.get('services');
  const now = services.clock.now();
  const day = todayIn(group, now);
  const registration = await getRegistrationPolicy(services);
  let outcome;
  try {
    outcome = await services.database.write(async (tx) => {
      if (!(await claimInteraction(tx, where.interactionId, now))) return { kind: 'replayed' as const };
      const actor = await actorFor(c, tx, group, where.user, now, registration);
      if (!actor.ok) return { kind: 'refused' as const, answer: actor.answer };
      const night = await openNightForVotes(tx, group, day, now);
      const { row, createdGame } = await insertSuggestion(tx, { groupId: group.id, day, gameName, userId: actor.userId, now });
      // The suggester's approval, on approval nights (a ranked night counts ballots only).
      if (methodOf(group, night) === 'approval') await insertVote(tx, row.id, actor.userId, now);
      await enqueueSuggestionAnnouncement(tx, row, now);
      return { kind: 'done' as const, row, createdGame, actor, hidden: resultsHidden(group, night) };
    });
  } catch (e) {
    if (isDuplicate(e))
      return ephemeral(`“${inert(gameName)}” is already suggested for tonight: press its button on the card to approve it.`);
    return ruleAnswer(e);
  }
  if (outcome.kind === 'refused') return outcome.answer;
  if (outcome.kind === 'done') {
    if (outcome.actor.joined) await publishJoined(c, group.id, outcome.actor.userId);
    const full = await suggestionDto(services.database.db, outcome.row, outcome.actor.userId);
    const dto = outcome.hidden ? hideTally(full) : full;
    await publishEvents(c, [{ type: 'suggestion_created', groupId: group.id, data: { ...dto, votedByMe: false } }]);
    // A name new to the library added a game: the library pages hear of it too.
    const game = outcome.createdGame
      ? await gameDto(services.database.db, group.id, outcome.createdGame.id, outcome.actor.userId)
      : undefined;
    if (game) await publishEvents(c, [gameEvent(group.id, game)]);
  }
  return cardAnswer(
    ResponseType.MESSAGE,
    await cardFor(c, group, day),
    `${inert(where.user.global_name ?? where.user.username, 32)} suggested **${inert(gameName)}**.`,
  );
}

async function rsvpCommand(c: C, where: Where, status: string): Promise<Answer> {
  if (status !== 'in' && status !== 'maybe' && status !== 'out') return ephemeral('Answer with `in`, `maybe` or `out`.');
  const bound = await boundGroup(c, where);
  if (isAnswer(bound)) return bound;
  const today = todayIn(bound.group, c.get('services').clock.now());
  const r = await applyRsvp(c, where, bound.group, today, status);
  if (r !== 'ok' && r !== 'replayed') return r;
  return ephemeral(`Tonight (${today}): ${RSVP_WORDS[status]}.`);
}

async function autocomplete(c: C, where: Where, i: Interaction): Promise<Answer> {
  const db = c.get('services').database.db;
  const binding = await groupOfChannel(db, where.guildId!, where.channelId!);
  // Autocomplete changes nothing; in an unlinked channel it simply offers nothing.
  const typed = String(optionsOf(i).values.get('game')?.value ?? '').slice(0, 100);
  const names = binding ? await pastGameNames(db, binding.groupId, typed) : [];
  return {
    type: ResponseType.AUTOCOMPLETE_RESULT,
    data: { choices: names.map((n) => ({ name: n.slice(0, 100), value: n.slice(0, 100) })) },
  };
}

// ——— buttons ———————————————————————————————————————————————————————————————————————————————

async function votePress(c: C, where: Where, suggestionId: string): Promise<Answer> {
  const services = c.get('services');
  const suggestion = await findSuggestion(services.database.db, suggestionId);
  if (!suggestion) return refuse(c, where, 'unknown_suggestion', 'That suggestion no longer exists. Use `/tonight` for a fresh card.');
  const group = await groupForPress(c, where, suggestion.groupId);
  if (isAnswer(group)) return group;
  const now = services.clock.now();
  try {
    requireTakesVotes(await nightOrVirtual(services.database.db, group, suggestion.day, now), now);
  } catch (e) {
    return ruleAnswer(e);
  }
  const registration = await getRegistrationPolicy(services);
  let outcome;
  try {
    outcome = await services.database.write(async (tx) => {
      if (!(await claimInteraction(tx, where.interactionId, now))) return { kind: 'replayed' as const };
      const actor = await actorFor(c, tx, group, where.user, now, registration);
      if (!actor.ok) return { kind: 'refused' as const, answer: actor.answer };
      const night = await openNightForVotes(tx, group, suggestion.day, now);
      // Ranked nights are ranked in the app: 409 `wrong_method` becomes an ephemeral answer.
      requireMethod(group, night, 'approval');
      // A press toggles: approve, or take the approval back.
      if (await hasVoted(tx, suggestionId, actor.userId)) await deleteVote(tx, suggestionId, actor.userId);
      else await insertVote(tx, suggestionId, actor.userId, now);
      return { kind: 'done' as const, actor, hidden: resultsHidden(group, night) };
    });
  } catch (e) {
    return ruleAnswer(e);
  }
  if (outcome.kind === 'refused') return outcome.answer;
  if (outcome.kind === 'done') {
    if (outcome.actor.joined) await publishJoined(c, group.id, outcome.actor.userId);
    if (outcome.hidden) {
      await publishEvents(c, [{ type: 'vote_updated', groupId: group.id, data: { suggestionId } }]);
    } else {
      const voters = await votersOf(services.database.db, suggestionId);
      await publishEvents(c, [{ type: 'vote_updated', groupId: group.id, data: { suggestionId, votes: voters.length, voters } }]);
    }
    services.metrics.votes.inc();
  }
  return cardAnswer(ResponseType.UPDATE_MESSAGE, await cardFor(c, group, suggestion.day));
}

async function rsvpPress(c: C, where: Where, groupId: string, date: string, status: 'in' | 'maybe' | 'out'): Promise<Answer> {
  const group = await groupForPress(c, where, groupId);
  if (isAnswer(group)) return group;
  const r = await applyRsvp(c, where, group, date, status);
  if (r !== 'ok' && r !== 'replayed') return r;
  return cardAnswer(ResponseType.UPDATE_MESSAGE, await cardFor(c, group, date));
}

/** Sets the RSVP through the nights feature's own rule (409 for a past or cancelled night). */
async function applyRsvp(
  c: C,
  where: Where,
  group: GroupRow,
  date: string,
  status: 'in' | 'maybe' | 'out',
): Promise<'ok' | 'replayed' | Answer> {
  const services = c.get('services');
  const now = services.clock.now();
  const registration = await getRegistrationPolicy(services);
  let outcome;
  try {
    requirePlannableDay(group, date, now);
    outcome = await services.database.write(async (tx) => {
      if (!(await claimInteraction(tx, where.interactionId, now))) return { kind: 'replayed' as const };
      const actor = await actorFor(c, tx, group, where.user, now, registration);
      if (!actor.ok) return { kind: 'refused' as const, answer: actor.answer };
      await rsvpTx(tx, group, date, todayIn(group, now), actor.userId, status, now);
      return { kind: 'done' as const, actor };
    });
  } catch (e) {
    return ruleAnswer(e);
  }
  if (outcome.kind === 'refused') return outcome.answer;
  if (outcome.kind === 'replayed') return 'replayed';
  if (outcome.actor.joined) await publishJoined(c, group.id, outcome.actor.userId);
  await publishEvents(c, [{ type: 'rsvp_updated', groupId: group.id, data: { date, userId: outcome.actor.userId, status } }]);
  return 'ok';
}
