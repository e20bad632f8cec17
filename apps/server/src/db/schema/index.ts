/**
 * The whole database schema. Instants are integer milliseconds since the epoch (UTC); days are
 * `YYYY-MM-DD` strings in the group's timezone. Migrations in apps/server/drizzle/ are generated from
 * this file with `npm run db:generate` and never edited after they have landed.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Lower-cased; null for a Discord-only account. */
    email: text('email'),
    username: text('username').notNull(),
    /**
     * usernameKey(username) from @queuecrew/shared (NFKC, case-folded): "alice", "Alice" and "ａｌｉｃｅ"
     * are one name. Unique; set by every write of `username` (nullable only because SQLite cannot add a
     * NOT NULL column to a filled table; migration 0003_username_ci fills it).
     */
    usernameKey: text('username_key'),
    passwordHash: text('password_hash'),
    avatarUrl: text('avatar_url'),
    discordId: text('discord_id'),
    /** SteamID64 (17 digits) linked through Steam OpenID 2.0; null when not linked. */
    steamId: text('steam_id'),
    /** TOTP seed, encrypted with FIELD_ENCRYPTION_KEY. */
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabled: integer('totp_enabled', { mode: 'boolean' }).notNull().default(false),
    /** Last accepted TOTP time step: a code at or before it is a replay. */
    totpLastStep: integer('totp_last_step'),
    isInstanceAdmin: integer('is_instance_admin', { mode: 'boolean' }).notNull().default(false),
    disabledAt: integer('disabled_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    uniqueIndex('users_discord_id_unique').on(t.discordId),
    uniqueIndex('users_steam_id_unique').on(t.steamId),
    uniqueIndex('users_username_key_unique').on(t.usernameKey),
  ],
);

export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** A session is one sign-in on one device: a family of refresh tokens. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }).notNull(),
    /** Absolute end of life, whatever the activity. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedReason: text('revoked_reason'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Refresh tokens, stored as SHA-256 hashes. A rotated token presented again revokes its session. */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    rotatedAt: integer('rotated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('refresh_tokens_session_idx').on(t.sessionId)],
);

/**
 * Append-only audit log. Database triggers (migration 0001) refuse UPDATE except pseudonymisation
 * (user id cleared, ip truncated) and refuse DELETE except rows older than the retention cutoff.
 */
export const securityEvents = sqliteTable(
  'security_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** null once pseudonymised (account deleted) or for events with no known user. */
    userId: text('user_id'),
    /** Stable pseudonym (HMAC of the user id) kept after deletion so a series of events stays linkable. */
    subject: text('subject'),
    type: text('type').notNull(),
    groupId: text('group_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** JSON with non-secret details. */
    detail: text('detail'),
    createdAt: createdAt(),
  },
  (t) => [
    index('security_events_user_idx').on(t.userId, t.createdAt),
    index('security_events_type_idx').on(t.type, t.createdAt),
    index('security_events_created_idx').on(t.createdAt),
  ],
);

/**
 * One-time password reset links an instance admin issues for an account (docs/decisions/108): the token
 * is stored only as a SHA-256 hash, expires after 24 hours and is used at most once. Issuing a new one
 * for the same account deletes the unused earlier ones, so at most one link per account works.
 */
export const passwordResetTokens = sqliteTable(
  'password_reset_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);

/** Instance-wide settings changed at run time by instance admins (e.g. registration policy). */
export const appSettings = sqliteTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
});

/**
 * Change counters for the in-process caches (apps/server/src/db/change-feed.ts). Triggers of migration
 * 0007 bump, in the same transaction as the change itself, the row `*` (a database-wide sequence) and
 * set the row of the scope that changed to the new sequence value: `u:<user id>` for a user's account
 * and sessions, `g:<group id>` for a group, its memberships and everything its results are made of.
 * A reader learns every scope changed since it last looked with one indexed query (`version > ?`).
 */
export const cacheVersions = sqliteTable(
  'cache_versions',
  {
    scope: text('scope').primaryKey(),
    version: integer('version').notNull(),
  },
  (t) => [index('cache_versions_version_idx').on(t.version)],
);

export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  timezone: text('timezone').notNull(),
  /** Discord webhook URL, encrypted with FIELD_ENCRYPTION_KEY; never returned in full. */
  discordWebhookEnc: text('discord_webhook_enc'),
  webhookOnSuggestion: integer('webhook_on_suggestion', { mode: 'boolean' }).notNull().default(true),
  webhookOnWinner: integer('webhook_on_winner', { mode: 'boolean' }).notNull().default(true),
  webhookLastError: text('webhook_last_error'),
  webhookLastErrorAt: integer('webhook_last_error_at', { mode: 'timestamp_ms' }),
  // Night defaults (docs/api.md "Game nights"): every date is a night with these until it is changed.
  /** "HH:MM" in the group's timezone. */
  nightStartTime: text('night_start_time').notNull().default('20:00'),
  /** Voting closes this many minutes before the start (0–720). */
  nightCloseBeforeMinutes: integer('night_close_before_minutes').notNull().default(30),
  nightTieBreak: text('night_tie_break', { enum: ['random', 'least_recent', 'admin'] })
    .notNull()
    .default('random'),
  nightResultsVisibility: text('night_results_visibility', { enum: ['live', 'after_close'] })
    .notNull()
    .default('live'),
  /** Reminder this many minutes before the close (0 = off, up to 720). */
  nightReminderBeforeMinutes: integer('night_reminder_before_minutes').notNull().default(60),
  nightMethod: text('night_method', { enum: ['approval', 'ranked'] })
    .notNull()
    .default('approval'),
  nightVetoes: integer('night_vetoes').notNull().default(0),
  /** Who may act from the linked Discord channel: `members` (linked accounts only) or `channel` (anyone there). */
  discordJoinPolicy: text('discord_join_policy', { enum: ['members', 'channel'] })
    .notNull()
    .default('members'),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
});

export const memberships = sqliteTable(
  'memberships',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull(),
    joinedAt: integer('joined_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
    // Exactly one owner per group is enforced by the database, not only by code.
    uniqueIndex('memberships_one_owner')
      .on(t.groupId)
      .where(sql`role = 'owner'`),
  ],
);

export const invites = sqliteTable(
  'invites',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** SHA-256 of the code, for lookup; the code itself is kept encrypted so admins can copy it again. */
    codeHash: text('code_hash').notNull(),
    codeEnc: text('code_enc').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invites_code_hash_unique').on(t.codeHash), index('invites_group_idx').on(t.groupId)],
);

export const suggestions = sqliteTable(
  'suggestions',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    gameName: text('game_name').notNull(),
    /** Lower-cased, whitespace-collapsed name: the unique key for "the same game on the same day". */
    gameKey: text('game_key').notNull(),
    /** The library game this suggestion is for (null only if the game was deleted from the library). */
    gameId: text('game_id').references(() => games.id, { onDelete: 'set null' }),
    /** null once the suggester's account is deleted (anonymised). */
    suggestedBy: text('suggested_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('suggestions_group_day_game_unique').on(t.groupId, t.day, t.gameKey)],
);

export const votes = sqliteTable(
  'votes',
  {
    suggestionId: text('suggestion_id')
      .notNull()
      .references(() => suggestions.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.suggestionId, t.userId] }), index('votes_user_idx').on(t.userId)],
);

/** Outbox of Discord webhook deliveries, so that a restart loses none. */
export const webhookOutbox = sqliteTable(
  'webhook_outbox',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['suggestion', 'winner', 'reminder', 'nudge'] }).notNull(),
    /** Idempotency key, e.g. `winner:<day>`, so one announcement is queued once. */
    dedupeKey: text('dedupe_key'),
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    failedAt: integer('failed_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_outbox_due_idx').on(t.deliveredAt, t.failedAt, t.nextAttemptAt),
    uniqueIndex('webhook_outbox_dedupe_unique').on(t.groupId, t.dedupeKey),
  ],
);

/**
 * A game night: one per group and date, created the first time the night changes (a suggestion, an
 * RSVP, an admin edit); until then the night is "virtual", computed from the group's defaults.
 * `startsAt`/`closesAt` are instants computed in the group's timezone; `timesEdited` marks a night an
 * admin moved by hand, which later changes of the group's timezone or defaults leave alone.
 */
export const nights = sqliteTable(
  'nights',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }).notNull(),
    /** When the automatic reminder is due (closesAt − reminderBeforeMinutes); null = none. */
    remindAt: integer('remind_at', { mode: 'timestamp_ms' }),
    timesEdited: integer('times_edited', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['open', 'closed', 'cancelled'] })
      .notNull()
      .default('open'),
    /**
     * How the night decides (decision 106): fixed on the night's first suggestion, vote, ballot or veto
     * (null until then: the group's defaults); an admin may change it while nobody has voted.
     */
    method: text('method', { enum: ['approval', 'ranked'] }),
    /** Vetoes per member (0 or 1), fixed with `method`. */
    vetoes: integer('vetoes'),
    tieBreak: text('tie_break', { enum: ['random', 'least_recent', 'admin'] }),
    resultsVisibility: text('results_visibility', { enum: ['live', 'after_close'] }),
    winnerSuggestionId: text('winner_suggestion_id').references(() => suggestions.id, { onDelete: 'set null' }),
    /** Kept with the night so the history survives the suggestion being deleted. */
    winnerGameName: text('winner_game_name'),
    winnerVotes: integer('winner_votes'),
    decidedBy: text('decided_by', { enum: ['votes', 'random', 'least_recent', 'admin'] }),
    /** JSON array of the suggestion ids that tied for the most approvals (empty when none). */
    tied: text('tied').notNull().default('[]'),
    tieBreakSeed: text('tie_break_seed'),
    /** Ranked nights: the instant-runoff rounds of the close, JSON `[{counts, eliminated}]`. */
    rounds: text('rounds'),
    /** Why a closed night has no winner (and no pending tie): `no_suggestions`, `no_votes` or `all_vetoed`. */
    noWinnerReason: text('no_winner_reason', { enum: ['no_suggestions', 'no_votes', 'all_vetoed'] }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    /** How many times the night has been closed: a reopen + close announces the new result once. */
    closeCount: integer('close_count').notNull().default(0),
    reminderSentAt: integer('reminder_sent_at', { mode: 'timestamp_ms' }),
    lastNudgeAt: integer('last_nudge_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.day] }),
    // The closer and the reminder scan only these: cheap when nothing is due.
    index('nights_open_close_idx').on(t.status, t.closesAt),
    index('nights_open_remind_idx').on(t.status, t.remindAt),
  ],
);

/**
 * Ranked ballots (decision 106): one row per ranked suggestion, `rank` 1, 2, … per member and night.
 * The primary key (suggestion, user) refuses a repeat; a deleted suggestion's entries go by cascade
 * (the ranks left keep their order, so "first choice" is the lowest rank left).
 */
export const ballots = sqliteTable(
  'ballots',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    suggestionId: text('suggestion_id')
      .notNull()
      .references(() => suggestions.id, { onDelete: 'cascade' }),
    rank: integer('rank').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.suggestionId, t.userId] }),
    uniqueIndex('ballots_member_rank_unique').on(t.groupId, t.day, t.userId, t.rank),
    index('ballots_user_idx').on(t.userId),
  ],
);

/** Vetoes: at most one per member and night (the primary key), on a suggestion of that night. */
export const vetoes = sqliteTable(
  'vetoes',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    suggestionId: text('suggestion_id')
      .notNull()
      .references(() => suggestions.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.day, t.userId] }),
    index('vetoes_suggestion_idx').on(t.suggestionId),
    index('vetoes_user_idx').on(t.userId),
  ],
);

/** Who's in: one answer per member and night. */
export const rsvps = sqliteTable(
  'rsvps',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['in', 'maybe', 'out'] }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.day, t.userId] }), index('rsvps_user_idx').on(t.userId)],
);

/** In-app notifications (docs/api.md "Notifications"), one row per user it is for. */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['night_closing_soon', 'night_closed', 'nudge', 'removed_from_group', 'role_changed'] }).notNull(),
    /** No foreign key: "removed from <group>" must outlive the group. */
    groupId: text('group_id'),
    day: text('day'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    url: text('url').notNull(),
    createdAt: createdAt(),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
    /** Set once the push worker has queued this notification for the user's devices (null = not yet). */
    pushQueuedAt: integer('push_queued_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_push_pending_idx')
      .on(t.createdAt)
      .where(sql`push_queued_at IS NULL`),
  ],
);

/** A device's Web Push subscription (RFC 8030); the keys are encrypted with FIELD_ENCRYPTION_KEY. */
export const pushSubscriptions = sqliteTable(
  'push_subscriptions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the endpoint URL, for lookup and uniqueness; the URL itself is kept encrypted. */
    endpointHash: text('endpoint_hash').notNull(),
    endpointEnc: text('endpoint_enc').notNull(),
    /** JSON {p256dh, auth}, encrypted. */
    keysEnc: text('keys_enc').notNull(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSuccessAt: integer('last_success_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('push_subscriptions_endpoint_unique').on(t.endpointHash), index('push_subscriptions_user_idx').on(t.userId)],
);

/** Outbox of push deliveries: one row per (notification, device), retried with backoff by the worker. */
export const pushOutbox = sqliteTable(
  'push_outbox',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    notificationId: text('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastError: text('last_error'),
    deliveredAt: integer('delivered_at', { mode: 'timestamp_ms' }),
    failedAt: integer('failed_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('push_outbox_once').on(t.subscriptionId, t.notificationId),
    index('push_outbox_due_idx').on(t.deliveredAt, t.failedAt, t.nextAttemptAt),
  ],
);

/** Per-user notification preferences: JSON `{push: {<kind>: boolean}}` (missing kinds = on). */
export const notificationSettings = sqliteTable('notification_settings', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  push: text('push').notNull().default('{}'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
});

/** A user's private calendar feed: the URL is the secret, stored as a SHA-256 hash. */
export const calendarFeeds = sqliteTable(
  'calendar_feeds',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('calendar_feeds_token_unique').on(t.tokenHash)],
);

/** The Discord channel bound to a group by `/queuecrew link` (one channel per group, one group per channel). */
export const discordChannels = sqliteTable(
  'discord_channels',
  {
    groupId: text('group_id')
      .primaryKey()
      .references(() => groups.id, { onDelete: 'cascade' }),
    guildId: text('guild_id').notNull(),
    channelId: text('channel_id').notNull(),
    linkedBy: text('linked_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('discord_channels_channel_unique').on(t.guildId, t.channelId)],
);

/** Single-use, short-lived codes an admin creates to bind a channel; stored as SHA-256 hashes. */
export const discordLinkCodes = sqliteTable(
  'discord_link_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('discord_link_codes_group_idx').on(t.groupId)],
);

/** Interaction ids already handled: a retry or a second instance cannot apply one twice. */
export const discordInteractions = sqliteTable(
  'discord_interactions',
  {
    id: text('id').primaryKey(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('discord_interactions_received_idx').on(t.receivedAt)],
);

/** A group's game library (docs/api.md "Game library"). */
export const games = sqliteTable(
  'games',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** JSON array of alias strings (≤ 10). */
    aliases: text('aliases').notNull().default('[]'),
    minPlayers: integer('min_players'),
    maxPlayers: integer('max_players'),
    playtimeMinutes: integer('playtime_minutes'),
    /** JSON array from pc, playstation, xbox, switch, mobile, vr, tabletop. */
    platforms: text('platforms').notNull().default('[]'),
    steamAppId: integer('steam_app_id'),
    coverUrl: text('cover_url'),
    addedBy: text('added_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('games_group_idx').on(t.groupId, t.name), index('games_steam_idx').on(t.groupId, t.steamAppId)],
);

/**
 * One key space per group for names and aliases: the key ignores case, spaces and punctuation, so
 * "Deep Rock Galactic", "deeprockgalactic" and the alias "DRG" each own a key that points at one game.
 */
export const gameKeys = sqliteTable(
  'game_keys',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    gameId: text('game_id')
      .notNull()
      .references(() => games.id, { onDelete: 'cascade' }),
    /** True for the game's name, false for an alias. */
    isName: integer('is_name', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.key] }), index('game_keys_game_idx').on(t.gameId)],
);

/** "I own it": a member owns a library game (by hand or imported from Steam). */
export const gameOwners = sqliteTable(
  'game_owners',
  {
    gameId: text('game_id')
      .notNull()
      .references(() => games.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['manual', 'steam'] })
      .notNull()
      .default('manual'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.gameId, t.userId] }), index('game_owners_user_idx').on(t.userId)],
);

/** Single-use Steam OpenID states (hashed) and seen response nonces: a replay is refused. */
export const steamOpenidStates = sqliteTable('steam_openid_states', {
  stateHash: text('state_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  returnTo: text('return_to').notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  usedAt: integer('used_at', { mode: 'timestamp_ms' }),
});

export const steamOpenidNonces = sqliteTable(
  'steam_openid_nonces',
  {
    nonce: text('nonce').primaryKey(),
    seenAt: integer('seen_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('steam_openid_nonces_seen_idx').on(t.seenAt)],
);
