/**
 * What the API answers: the response bodies of docs/api.md as zod schemas. The server's routes declare
 * them as their responses (so the OpenAPI document is generated from them), and the web app takes its
 * types from them with `import type` (so no zod reaches its bundle).
 *
 * Plain zod with `.meta()`: `id` names the OpenAPI component (`#/components/schemas/<id>`), other keys
 * (`example`, `description`) go into the schema. `.openapi()` is not available here: it exists only once
 * @hono/zod-openapi has extended zod, which may happen after this module is evaluated.
 */
import { z } from 'zod';
import {
  GAME_PLATFORMS,
  NIGHT_METHODS,
  NIGHT_STATUSES,
  NOTIFICATION_KINDS,
  RESULTS_VISIBILITIES,
  RSVP_STATUSES,
  TIE_BREAKS,
} from './inputs.ts';

const DECIDED_BY = ['votes', 'random', 'least_recent', 'admin'] as const;
const REGISTRATION = ['open', 'invite-only', 'closed'] as const;

// ---- Errors -------------------------------------------------------------------------------------

/** Every error answer: a sentence for people, a stable code for programs, and field messages on a 400. */
export const ErrorSchema = z
  .object({
    error: z.string().meta({ example: 'You are not signed in, or your session has expired. Please sign in.' }),
    code: z.string().meta({ example: 'unauthorized' }),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.output<typeof ErrorSchema>;

// ---- Users, auth, sessions ----------------------------------------------------------------------

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    discordLinked: z.boolean(),
    steamLinked: z.boolean(),
    twoFactorEnabled: z.boolean(),
    hasPassword: z.boolean(),
    isInstanceAdmin: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type User = z.output<typeof UserSchema>;

/** Sign-in, registration and refresh answer the user (cookies carry the session). */
export const UserEnvelopeSchema = z.object({ user: UserSchema });

/** The Discord sign-in finish (`/auth/discord/2fa`): the user and where to land. */
export const DiscordSignInSchema = z.object({ user: UserSchema, returnTo: z.string() });

export const AuthConfigSchema = z
  .object({
    discord: z.boolean(),
    registration: z.enum(REGISTRATION),
    discordInstallUrl: z.string().nullable().meta({
      description: 'Adds the application to a Discord server (scope applications.commands only); null when two-way Discord is off',
    }),
  })
  .meta({ id: 'AuthConfig' });
export type AuthConfig = z.output<typeof AuthConfigSchema>;

export const SessionSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string(),
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'Session' });
export type Session = z.output<typeof SessionSchema>;

export const TwoFactorSetupSchema = z.object({ otpauthUrl: z.string(), secret: z.string() });
export type TwoFactorSetup = z.output<typeof TwoFactorSetupSchema>;

export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const RecoveryCodesLeftSchema = z.object({ left: z.number().int() });

export const ActivitySchema = z
  .object({ type: z.string(), at: z.string(), ip: z.string().nullable(), userAgent: z.string().nullable() })
  .meta({ id: 'Activity' });
export type ActivityEvent = z.output<typeof ActivitySchema>;

export const UserExportSchema = z
  .object({ format: z.literal('queuecrew-export'), version: z.number(), exportedAt: z.string(), profile: UserSchema })
  .passthrough()
  .meta({ id: 'UserExport' });

export const CalendarFeedSchema = z
  .object({
    url: z.string().meta({ example: 'https://queuecrew.example/api/calendar/3Nq2…8cA.ics' }),
  })
  .meta({ id: 'CalendarFeed' });
export type CalendarFeed = z.output<typeof CalendarFeedSchema>;

// ---- Instance administration --------------------------------------------------------------------

export const InstanceSettingsSchema = z.object({ registration: z.enum(REGISTRATION) }).meta({ id: 'InstanceSettings' });

export const AdminUserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    isInstanceAdmin: z.boolean(),
    twoFactorEnabled: z.boolean(),
    discordLinked: z.boolean(),
    disabled: z.boolean(),
    disabledAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AdminUser' });
export type AdminUser = z.output<typeof AdminUserSchema>;

export const SecurityEventSchema = z
  .object({
    id: z.number(),
    type: z.string(),
    userId: z.string().nullable(),
    /** The account's current username while it still exists (null once deleted): readable instead of a hash. */
    username: z.string().nullable(),
    subject: z.string().nullable(),
    groupId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'SecurityEvent' });
export type SecurityEvent = z.output<typeof SecurityEventSchema>;

/** A page of a long admin list. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number(), limit: z.number(), offset: z.number() });

export const PasswordResetLinkSchema = z
  .object({
    /** Shown once: only its hash is stored. The token is in the fragment, which no server or Referer sees. */
    url: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'PasswordResetLink' });

// ---- Discord ------------------------------------------------------------------------------------

/** A group's Discord announcement settings as admins see them: the URL only ever masked. */
export const DiscordWebhookSchema = z
  .object({
    configured: z.boolean(),
    masked: z.string().nullable().meta({ example: 'https://discord.com/api/webhooks/1234…/••••' }),
    onSuggestion: z.boolean(),
    onWinner: z.boolean(),
    lastError: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
  })
  .meta({ id: 'DiscordWebhook' });
export type DiscordWebhook = z.output<typeof DiscordWebhookSchema>;

/** The Discord channel bound to a group, and who may act from it. */
export const DiscordChannelSchema = z
  .object({ guildId: z.string(), channelId: z.string(), joinPolicy: z.enum(['members', 'channel']) })
  .meta({ id: 'DiscordChannel' });
export type DiscordChannel = z.output<typeof DiscordChannelSchema>;
export type DiscordJoinPolicy = DiscordChannel['joinPolicy'];

/** A single-use code (10 minutes) to type as `/queuecrew link code:<code>` in the channel. */
export const DiscordLinkCodeSchema = z
  .object({
    code: z.string().meta({ example: 'QC-7K2M-9XWD-4HPR', description: 'Type `/queuecrew link code:<code>` in the channel' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'DiscordLinkCode' });
export type DiscordLinkCode = z.output<typeof DiscordLinkCodeSchema>;

// ---- Games --------------------------------------------------------------------------------------

export const GameUserSchema = z.object({ id: z.string(), username: z.string(), avatarUrl: z.string().nullable() }).meta({ id: 'GameUser' });
export type GameUser = z.output<typeof GameUserSchema>;

/** `playable` for a night: RSVPs "in", whether that fits min–max players, and the "in" members who do not own it. */
export const PlayableSchema = z
  .object({
    in: z.number().int().meta({ description: 'RSVPs "in" for the night' }),
    fits: z.boolean().nullable().meta({ description: 'Whether `in` lies within min–max players; null without counts' }),
    ownersIn: z.number().int(),
    missingOwners: z.array(GameUserSchema),
  })
  .meta({ id: 'Playable' });
export type Playable = z.output<typeof PlayableSchema>;

export type Platform = (typeof GAME_PLATFORMS)[number];

/** A library game (docs/api.md "Game library"). */
export const GameSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    aliases: z.array(z.string()),
    minPlayers: z.number().int().nullable(),
    maxPlayers: z.number().int().nullable(),
    playtimeMinutes: z.number().int().nullable(),
    platforms: z.array(z.enum(GAME_PLATFORMS)),
    steamAppId: z.number().int().nullable(),
    coverUrl: z.string().nullable(),
    owners: z.array(GameUserSchema),
    ownedByMe: z.boolean(),
    timesWon: z.number().int(),
    lastWonOn: z.string().nullable(),
    /** null once the adder deleted their account. */
    addedBy: z.object({ id: z.string(), username: z.string() }).nullable(),
    createdAt: z.string(),
    /** Only with `?date`. */
    playable: PlayableSchema.optional(),
  })
  .meta({ id: 'Game' });
export type Game = z.output<typeof GameSchema>;

/** POST /api/users/me/steam/import. */
export const SteamImportResultSchema = z
  .object({
    owned: z.number().int(),
    matched: z.number().int(),
    games: z.array(z.object({ steamAppId: z.number().int(), name: z.string(), playtimeMinutes: z.number().int() })),
  })
  .meta({ id: 'SteamImportResult' });
export type SteamImportResult = z.output<typeof SteamImportResultSchema>;

// ---- Game nights --------------------------------------------------------------------------------

export type TieBreak = (typeof TIE_BREAKS)[number];
export type ResultsVisibility = (typeof RESULTS_VISIBILITIES)[number];
export type NightMethod = (typeof NIGHT_METHODS)[number];
export type NightStatus = (typeof NIGHT_STATUSES)[number];
export type RsvpStatus = (typeof RSVP_STATUSES)[number];
export type DecidedBy = (typeof DECIDED_BY)[number];

export const NightUserSchema = z
  .object({ id: z.string(), username: z.string(), avatarUrl: z.string().nullable() })
  .meta({ id: 'NightUser' });
export type NightUser = z.output<typeof NightUserSchema>;

export const NightWinnerSchema = z
  .object({
    /** null when the winning suggestion was deleted afterwards (the name stays). */
    suggestionId: z.string().nullable(),
    gameName: z.string(),
    votes: z.number().int(),
    decidedBy: z.enum(DECIDED_BY),
  })
  .meta({ id: 'NightWinner' });

/** Why a closed night has no winner and no pending tie (docs/api.md "Fair picks"). */
export const NO_WINNER_REASONS = ['no_suggestions', 'no_votes', 'all_vetoed'] as const;
export type NoWinnerReason = (typeof NO_WINNER_REASONS)[number];

export const NightSchema = z
  .object({
    groupId: z.string(),
    date: z.string().meta({ example: '2026-11-26' }),
    startsAt: z.string().meta({ example: '2026-11-26T19:00:00.000Z' }),
    closesAt: z.string().meta({ example: '2026-11-26T18:30:00.000Z' }),
    status: z.enum(NIGHT_STATUSES),
    method: z.enum(NIGHT_METHODS),
    /** Vetoes per member for this night (0 or 1). */
    vetoes: z.number().int().meta({ example: 0 }),
    tieBreak: z.enum(TIE_BREAKS),
    resultsVisibility: z.enum(RESULTS_VISIBILITIES),
    winner: NightWinnerSchema.nullable(),
    /** The suggestions that tied for the most approvals at the close (empty when none or still open). */
    tied: z.array(z.string()),
    /** For `random`: index = first 4 bytes of sha256(seed) as a big-endian uint32, mod the tied count (sorted by id). */
    tieBreakSeed: z.string().nullable(),
    /**
     * Why a closed night has no winner and no pending tie: `no_suggestions`, `no_votes` (no approval, or
     * no ballot that ranks a suggestion left) or `all_vetoed`; null otherwise.
     */
    noWinnerReason: z.enum(NO_WINNER_REASONS).nullable(),
    rsvps: z.object({ in: z.array(NightUserSchema), maybe: z.array(NightUserSchema), out: z.array(NightUserSchema) }),
    /** The caller's answer (null in socket events, which go to every member: derive it from `rsvps`). */
    myRsvp: z.enum(RSVP_STATUSES).nullable(),
    /** How many different members approved at least one suggestion of the night, or cast a ranked ballot. */
    voters: z.number().int(),
    /** Members whose RSVP is not "out" who have approved nothing. */
    notVoted: z.array(NightUserSchema),
    closedAt: z.string().nullable(),
  })
  .meta({ id: 'Night' });
export type Night = z.output<typeof NightSchema>;

export const NudgeResultSchema = z.object({ nudged: z.array(z.string()) }).meta({ id: 'NudgeResult' });

/** PUT/GET /api/groups/:groupId/nights/:date/ballot — the caller's own ranking, best first ([] = none). */
export const BallotSchema = z
  .object({
    date: z.string().meta({ example: '2026-11-26' }),
    /** The caller's ranking, best first (empty: no ballot). Entries of deleted suggestions drop out. */
    ranking: z.array(z.string()),
  })
  .meta({ id: 'Ballot' });
export type Ballot = z.output<typeof BallotSchema>;

/** Today's night of a group, as the My groups list shows it (docs/api.md "Groups"). */
export const GroupTonightSchema = z
  .object({
    date: z.string().meta({ example: '2026-11-26', description: 'Today in the group’s timezone' }),
    status: z.enum(NIGHT_STATUSES),
    startsAt: z.string(),
    closesAt: z.string().meta({ description: 'The voting deadline' }),
    /** True while the group keeps results hidden until the close: then `leader` is null whatever the votes. */
    resultsHidden: z.boolean(),
    suggestions: z.number().int(),
    /** The most approved suggestion while the night is open (null when hidden, closed or nothing approved yet). */
    leader: z.object({ gameName: z.string(), votes: z.number().int(), tied: z.boolean() }).nullable(),
    winner: NightWinnerSchema.nullable(),
  })
  .meta({ id: 'GroupTonight' });
export type GroupTonight = z.output<typeof GroupTonightSchema>;

// ---- Groups, members, invites -------------------------------------------------------------------

export const RoleSchema = z.enum(['owner', 'admin', 'member']).meta({ id: 'Role' });

export const MemberSchema = z
  .object({ id: z.string(), username: z.string(), avatarUrl: z.string().nullable(), role: RoleSchema })
  .meta({ id: 'Member' });
export type Member = z.output<typeof MemberSchema>;

/** Every date of the group is a game night with these until it is changed (docs/api.md "Game nights"). */
export const NightDefaultsSchema = z
  .object({
    startTime: z.string().meta({ example: '20:00', description: '"HH:MM" in the group’s timezone' }),
    closeBeforeMinutes: z.number().int().meta({ example: 30, description: 'Voting closes this many minutes before the start (0–720)' }),
    tieBreak: z.enum(TIE_BREAKS),
    resultsVisibility: z.enum(RESULTS_VISIBILITIES),
    reminderBeforeMinutes: z.number().int().meta({ example: 60, description: 'Minutes before the close (0 = off, up to 720)' }),
    method: z.enum(NIGHT_METHODS),
    vetoes: z.number().int().meta({ example: 0 }),
  })
  .meta({ id: 'NightDefaults' });
export type NightDefaults = z.output<typeof NightDefaultsSchema>;

export const GroupSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    timezone: z.string().meta({ example: 'Europe/Berlin' }),
    createdAt: z.string(),
    role: RoleSchema,
    nightDefaults: NightDefaultsSchema,
    /** Admins only: the Discord webhook settings, its URL masked. */
    discordWebhook: DiscordWebhookSchema.optional(),
    /** Admins only: the Discord channel bound with /queuecrew link, and who may act from it. */
    discordChannel: DiscordChannelSchema.nullable().optional(),
  })
  .meta({ id: 'Group' });
export type Group = z.output<typeof GroupSchema>;

/** A group with its members (GET /api/groups/:groupId and the answers that change them): `allOf` Group in OpenAPI. */
export const GroupDetailSchema = z.intersection(GroupSchema, z.object({ members: z.array(MemberSchema) })).meta({ id: 'GroupDetail' });
export type GroupDetail = z.output<typeof GroupDetailSchema>;

/** One row of the My groups list. */
export const GroupListItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: RoleSchema,
    memberCount: z.number().int(),
    timezone: z.string(),
    /** Today's night in the group's timezone: deadline, leader (if results are visible) or winner. */
    tonight: GroupTonightSchema,
  })
  .meta({ id: 'GroupListItem' });
export type GroupSummary = z.output<typeof GroupListItemSchema>;

export const InviteSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    url: z.string(),
    expiresAt: z.string().nullable(),
    maxUses: z.number().int().nullable(),
    uses: z.number().int(),
    createdAt: z.string(),
    /** False once expired, used up or revoked. */
    active: z.boolean(),
    /** Why a listed invite can (not) be used: only `active` links are worth copying. */
    status: z.enum(['active', 'expired', 'used_up']),
  })
  .meta({ id: 'Invite' });
export type Invite = z.output<typeof InviteSchema>;

export const InvitePreviewSchema = z
  .object({ groupName: z.string(), memberCount: z.number().int(), expiresAt: z.string().nullable() })
  .meta({ id: 'InvitePreview' });
export type InvitePreview = z.output<typeof InvitePreviewSchema>;

export const InviteAcceptedSchema = z
  .object({ groupId: z.string(), role: z.enum(['owner', 'admin', 'member']) })
  .meta({ id: 'InviteAccepted' });
export type InviteAccepted = z.output<typeof InviteAcceptedSchema>;

// ---- Suggestions, votes, results, history -------------------------------------------------------

export const VoterSchema = z.object({ id: z.string(), username: z.string(), avatarUrl: z.string().nullable() }).meta({ id: 'Voter' });
export type Voter = z.output<typeof VoterSchema>;

export const SuggestionSchema = z
  .object({
    id: z.string(),
    gameName: z.string(),
    date: z.string().meta({ example: '2026-11-26' }),
    /** null once the suggester deleted their account. */
    suggestedBy: z.object({ id: z.string(), username: z.string() }).nullable(),
    /** null while the night's results are hidden (`resultsVisibility: "after_close"`, night not closed). */
    votes: z.number().int().nullable(),
    votedByMe: z.boolean(),
    /** Empty while the results are hidden. */
    voters: z.array(VoterSchema),
    createdAt: z.string(),
    /** The library game (null once it was deleted from the library: the suggestion keeps its name). */
    game: z
      .object({
        id: z.string(),
        coverUrl: z.string().nullable(),
        minPlayers: z.number().int().nullable(),
        maxPlayers: z.number().int().nullable(),
        /** Closed nights before the suggestion's night won by a suggestion linked to this game (any name or alias). */
        timesWon: z.number().int().min(0).max(100000),
        /** The latest of those nights (null: never won before this night). */
        lastWonOn: z.string().max(10).nullable().meta({ example: '2026-11-23' }),
      })
      .nullable(),
    /** Playable with who's in for the suggestion's night (null without a library game). */
    playable: PlayableSchema.nullable(),
    /** Who vetoed it (nights with `vetoes: 1`); public, also while results are hidden. A vetoed suggestion cannot win. */
    vetoedBy: z.array(VoterSchema),
  })
  .meta({ id: 'Suggestion' });
export type Suggestion = z.output<typeof SuggestionSchema>;
export type SuggestionGame = NonNullable<Suggestion['game']>;

export const VoteResultSchema = z
  .object({ suggestionId: z.string(), votes: z.number().int().nullable().meta({ description: 'null while results are hidden' }) })
  .meta({ id: 'VoteResult' });
export type VoteResult = z.output<typeof VoteResultSchema>;

/** POST /api/suggestions/:id/veto, and the `veto_updated` live event. */
export const VetoResultSchema = z.object({ suggestionId: z.string(), vetoedBy: z.array(VoterSchema) }).meta({ id: 'VetoResult' });
export type VetoResult = z.output<typeof VetoResultSchema>;

const Tally = z.object({ id: z.string(), gameName: z.string(), votes: z.number().int() });
const MaybeTally = z.object({ id: z.string(), gameName: z.string(), votes: z.number().int().nullable() });

/** One instant-runoff round: votes per suggestion still in, and who went out after it (null: the last round). */
export const RoundSchema = z
  .object({
    /** Votes per suggestion still in the race, by suggestion id. */
    counts: z.record(z.string(), z.number().int()),
    /** The suggestion eliminated after this round; null in the last round. */
    eliminated: z.string().nullable(),
  })
  .meta({ id: 'Round' });
export type RunoffRound = z.output<typeof RoundSchema>;

export const ResultsSchema = z
  .object({
    date: z.string(),
    /** How the night decides: `votes` are approvals, or (ranked) first choices. */
    method: z.enum(NIGHT_METHODS),
    /** How many different members approved at least one suggestion that day (ranked: cast a ballot). */
    voters: z.number().int(),
    /** While the results are hidden: `votes: null`, in the order they were suggested. */
    suggestions: z.array(MaybeTally),
    /**
     * Approval: ids of all suggestions tied for the most approvals, vetoed ones left out (empty while
     * nobody has voted, or hidden). Ranked: once closed, the winner (or the tied finalists); while
     * open, the suggestions with the most first choices.
     */
    winners: z.array(z.string()),
    /** Ranked nights, once closed: the instant-runoff rounds (empty while open, hidden, or for approval). */
    rounds: z.array(RoundSchema),
  })
  .meta({ id: 'Results' });
export type Results = z.output<typeof ResultsSchema>;

export const HistoryDaySchema = z
  .object({
    date: z.string(),
    /** The suggestions tied for the most approvals (at least one). */
    winners: z.array(Tally),
    suggestions: z.number().int(),
    voters: z.number().int(),
    /** The night's decision, as it was closed (null: no pick, or a tie still waiting for an admin). */
    winner: z
      .object({
        suggestionId: z.string().nullable(),
        /** The library game the winning suggestion links to (null once either is gone): the same game under any alias. */
        gameId: z.string().max(64).nullable(),
        gameName: z.string(),
        votes: z.number().int(),
        decidedBy: z.enum(DECIDED_BY),
      })
      .nullable(),
    decidedBy: z.enum(DECIDED_BY).nullable(),
    /** Who said they were in. */
    in: z.array(VoterSchema),
  })
  .meta({ id: 'HistoryDay' });
export type HistoryDay = z.output<typeof HistoryDaySchema>;

// ---- Statistics ---------------------------------------------------------------------------------

/** GET /api/groups/:groupId/stats ?from&to (≤ 366 days; default the 366 days up to today). */
export const StatsSchema = z
  .object({
    from: z.string().meta({ example: '2025-11-27' }),
    to: z.string().meta({ example: '2026-11-26' }),
    /** Closed nights of the range that have a winner. */
    nights: z.number().int(),
    /** Games that won a night of the range, most wins first (then the latest win, then the name). */
    games: z.array(
      z.object({
        /** null when the winning suggestion (and so its library game) is gone: the name stays. */
        gameId: z.string().nullable(),
        name: z.string(),
        wins: z.number().int(),
        lastWonOn: z.string(),
      }),
    ),
    /** Current members, by name. */
    members: z.array(
      z.object({
        id: z.string(),
        username: z.string(),
        /** Closed nights of the range the member said "in" to. */
        nightsIn: z.number().int(),
        /** Suggestions the member made for days of the range. */
        suggestions: z.number().int(),
        /** Approvals the member gave to suggestions of the range (a suggestion is its suggester's approval). */
        approvals: z.number().int(),
        /** Nights of the range won by a suggestion of the member's. */
        picksWon: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Stats' });
export type GroupStats = z.output<typeof StatsSchema>;

// ---- Notifications and push ---------------------------------------------------------------------

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** GET /api/notifications; also the `notification` live event's data. */
export const NotificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    groupId: z.string().nullable(),
    date: z.string().nullable().meta({ example: '2026-11-26' }),
    title: z.string(),
    body: z.string(),
    /** A path inside the app to open (e.g. the night). */
    url: z.string().meta({ example: '/groups/vQw3l2nq7cGm2eB3L1zXyA?date=2026-11-26' }),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });
export type AppNotification = z.output<typeof NotificationSchema>;

export const VapidKeySchema = z.object({ publicKey: z.string() }).meta({ id: 'VapidKey' });

export const PushSubscriptionSchema = z.object({ id: z.string(), createdAt: z.string() }).meta({ id: 'PushSubscription' });

const kindFlags = <T extends z.ZodType>(flag: T) =>
  z.strictObject(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, flag])) as Record<NotificationKind, T>);

export const NotificationSettingsSchema = z
  .object({ push: kindFlags(z.boolean()) })
  .meta({ id: 'NotificationSettings', description: 'Per-kind push preferences; a kind missing from storage is on.' });
export type NotificationSettings = z.output<typeof NotificationSettingsSchema>;

/** PATCH /api/users/me/notification-settings: the kinds to switch, each on or off. */
export const notificationSettingsInput = z
  .strictObject({ push: kindFlags(z.boolean().optional()) })
  .meta({ id: 'NotificationSettingsInput' });
