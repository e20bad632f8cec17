/**
 * Input rules shared by the server (which enforces them) and the web app (which shows them early).
 * Every object schema is strict: an unknown field is an error, never silently applied.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Trims and collapses inner whitespace. */
export function normalizeText(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * Invisible characters a name may carry in (pasted from chat, typed on a phone): format characters
 * (Unicode category Cf: zero-width space/joiners U+200B–U+200D, LRM/RLM U+200E–U+200F, word joiner and
 * invisible operators U+2060–U+2064, BOM U+FEFF, soft hyphen, …) and the Hangul fillers U+115F, U+1160,
 * U+3164, U+FFA0 and the braille blank U+2800, which render as nothing. They are removed from names.
 * (Bidi embeddings/overrides/isolates are refused outright by CONTROL_CHARS: they reorder what is shown.)
 */
const INVISIBLE = /[\p{Cf}\u115f\u1160\u3164\uffa0\u2800]/gu;
/** A character that shows: not whitespace, not a mark alone, not invisible, not unassigned. */
const VISIBLE = /[^\s\p{M}\p{Cc}\p{Cf}\p{Cn}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0\u2800]/u;

/** NFC, invisible characters removed, whitespace trimmed and collapsed: the form a name is stored in. */
export function normalizeName(value: string): string {
  // Removal first: a dropped character may leave a base + mark that NFC composes.
  return normalizeText(value.replace(INVISIBLE, '').normalize('NFC'));
}

/**
 * A name that comes from another service (a Steam game title), which cannot be refused: control and bidi
 * characters are removed rather than refused, then it is normalised like a typed name (invisible
 * characters removed, NFC, whitespace collapsed), cut to `max`, and replaced by `fallback` when nothing
 * visible is left. Typed names refuse bidi controls instead (plainText below): the person can fix them.
 */
export function sanitizeExternalName(value: string, fallback: string, max = 100): string {
  const name = normalizeName(value.replace(/\s+/g, ' ').replace(CONTROL_CHARS_ALL, '')).slice(0, max).trim();
  return hasVisibleCharacter(name) ? name : fallback;
}

/** Whether a (normalised) name has at least one character a person can see. */
export function hasVisibleCharacter(value: string): boolean {
  return VISIBLE.test(value);
}

/** The key that makes "Rocket  League" and "rocket league" the same game. */
export function gameKey(name: string): string {
  return normalizeText(name).normalize('NFKC').toLowerCase();
}

/**
 * The library key (docs/api.md "Game library"): one key space for a group's game names and aliases.
 * NFKC, lower case, with whitespace and punctuation removed, so "Deep Rock Galactic",
 * "deeprockgalactic" and "Deep-Rock: Galactic!" are one game. Symbols (e.g. "+") are kept.
 */
export function libraryKey(name: string): string {
  const folded = normalizeText(name.normalize('NFKC')).toLowerCase();
  // A name of punctuation only ("!!!", allowed for suggestions) keeps its folded text as its key.
  return folded.replace(/[\s\p{P}]/gu, '') || folded;
}

const plainText = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} is required.` })
    // A bound on the raw text too (spaces and invisible characters are removed before the real limit).
    .max(max * 4, { message: `${label} must be at most ${max} characters.` })
    .refine((v) => !CONTROL_CHARS.test(v), { message: `${label} cannot contain control characters.` })
    .transform(normalizeName)
    .pipe(
      z
        .string()
        .min(min, { message: min === 1 ? `${label} cannot be empty.` : `${label} must be at least ${min} characters.` })
        .max(max, { message: `${label} must be at most ${max} characters.` })
        .refine((v) => v.length === 0 || hasVisibleCharacter(v), {
          message: `${label} needs at least one visible character (invisible characters are removed).`,
        }),
    );

export const emailSchema = z
  .string({ error: 'Email is required.' })
  .trim()
  .max(254, { message: 'Email must be at most 254 characters.' })
  .pipe(z.email({ message: 'Enter a valid email address, like name@example.com.' }))
  .transform((v) => v.toLowerCase());

export const usernameSchema = z
  .string({ error: 'Username is required.' })
  .trim()
  .min(2, { message: 'Username must be at least 2 characters.' })
  .max(32, { message: 'Username must be at most 32 characters.' })
  .regex(/^[A-Za-z0-9_.-]+$/, { message: 'Username can use letters, digits, and _ . - only.' });

/**
 * The key that makes two usernames the same person to the eye: NFKC (fullwidth "ａｌｉｃｅ" is "alice")
 * and case-folded ("Alice" is "alice"). Stored in users.username_key, which is unique.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase().normalize('NFKC');
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
export const passwordSchema = z
  .string({ error: 'Password is required.' })
  .min(PASSWORD_MIN, { message: `Password must be at least ${PASSWORD_MIN} characters.` })
  .max(PASSWORD_MAX, { message: `Password must be at most ${PASSWORD_MAX} characters.` });

export const totpCodeSchema = z
  .string()
  .max(64, { message: 'Enter the 6-digit code from your app, or a recovery code.' })
  .trim()
  .regex(/^(\d{6}|[A-Za-z0-9]{4,5}-?[A-Za-z0-9]{4,5})$/, { message: 'Enter the 6-digit code from your app, or a recovery code.' });

export const registerInput = z.strictObject({
  email: emailSchema,
  username: usernameSchema,
  password: passwordSchema,
  /** Required when the instance is invite-only. */
  inviteCode: z.string().min(1).max(200).optional(),
});

export const loginInput = z.strictObject({
  email: emailSchema,
  password: z.string({ error: 'Password is required.' }).min(1, { message: 'Password is required.' }).max(PASSWORD_MAX),
  totp: totpCodeSchema.optional(),
});

export const passwordChangeInput = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX).optional(),
  newPassword: passwordSchema,
  totp: totpCodeSchema.optional(),
});

/** Setting a new password with a one-time reset link an instance admin issued (docs/decisions/108). */
export const passwordResetInput = z.strictObject({
  token: z
    .string({ error: 'The reset link is incomplete.' })
    .max(100, { message: 'The reset link is incomplete. Open the whole link you were given.' })
    .regex(/^[A-Za-z0-9_-]{20,100}$/, { message: 'The reset link is incomplete. Open the whole link you were given.' }),
  newPassword: passwordSchema,
});

export const updateMeInput = z.strictObject({
  username: usernameSchema.optional(),
});

export const deleteMeInput = z.strictObject({
  confirm: z.string({ error: 'Type your username to confirm.' }).min(1).max(64),
});

export const groupNameSchema = plainText('Group name', 1, 60);
export const groupDescriptionSchema = z
  .string()
  .max(2000)
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), { message: 'Description cannot contain control characters.' })
  .transform((v) => v.trim())
  .pipe(z.string().max(500, { message: 'Description must be at most 500 characters.' }));

export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Choose a valid IANA timezone, like Europe/Berlin.' },
  );

export const daySchema = z
  .string()
  .max(10, { message: 'Use a date like 2026-11-26.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'Use a date like 2026-11-26.' })
  .refine(
    (d) => {
      const t = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
    },
    { message: 'That date does not exist.' },
  );

export const gameNameSchema = plainText('Game name', 1, 100);

export const createGroupInput = z.strictObject({
  name: groupNameSchema,
  description: groupDescriptionSchema.optional(),
  timezone: timezoneSchema.optional(),
});

/** A wall-clock time "HH:MM" (00:00–23:59), in the group's timezone. */
export const wallTimeSchema = z
  .string({ error: 'Use a time like 20:00.' })
  .max(5, { message: 'Use a 24-hour time like 20:00 (HH:MM).' })
  .regex(/^([01]\d|2[0-3]):([0-5]\d)$/, { message: 'Use a 24-hour time like 20:00 (HH:MM).' });

const minutesSchema = (label: string) =>
  z
    .number({ error: `${label} must be a number of minutes.` })
    .int({ message: `${label} must be a whole number of minutes.` })
    .min(0, { message: `${label} must be between 0 and 720 minutes.` })
    .max(720, { message: `${label} must be between 0 and 720 minutes.` });

export const TIE_BREAKS = ['random', 'least_recent', 'admin'] as const;
export const RESULTS_VISIBILITIES = ['live', 'after_close'] as const;
export const NIGHT_METHODS = ['approval', 'ranked'] as const;

const methodSchema = z.enum(NIGHT_METHODS, { error: 'Method must be "approval" or "ranked".' });
const vetoesSchema = z.union([z.literal(0), z.literal(1)], { error: 'Vetoes must be 0 (none) or 1 (one per member and night).' });

/** A group's night defaults, every field optional (PATCH is partial). */
export const nightDefaultsInput = z.strictObject({
  startTime: wallTimeSchema.optional(),
  closeBeforeMinutes: minutesSchema('Voting closes').optional(),
  tieBreak: z.enum(TIE_BREAKS, { error: 'Tie-break must be "random", "least_recent" or "admin".' }).optional(),
  resultsVisibility: z.enum(RESULTS_VISIBILITIES, { error: 'Results visibility must be "live" or "after_close".' }).optional(),
  reminderBeforeMinutes: minutesSchema('The reminder').optional(),
  method: methodSchema.optional(),
  vetoes: vetoesSchema.optional(),
});
export type NightDefaultsInput = z.infer<typeof nightDefaultsInput>;

export const updateGroupInput = z.strictObject({
  name: groupNameSchema.optional(),
  description: groupDescriptionSchema.optional(),
  timezone: timezoneSchema.optional(),
  /** A Discord webhook URL, or null to remove it. */
  discordWebhookUrl: z.string().max(500).nullable().optional(),
  webhookOnSuggestion: z.boolean().optional(),
  webhookOnWinner: z.boolean().optional(),
  /** Who may act from the linked Discord channel: `members` (linked accounts of members) or `channel` (anyone there joins). */
  discordJoinPolicy: z.enum(['members', 'channel'], { error: 'Choose "members" or "channel".' }).optional(),
  /** Partial: only the given fields change. */
  nightDefaults: nightDefaultsInput.optional(),
});

/** An instant: ISO-8601 with a time zone designator (`Z` or an offset). */
export const instantSchema = z.iso
  .datetime({ offset: true, error: 'Use an ISO-8601 instant like 2026-11-26T19:30:00Z.' })
  .max(40, { message: 'Use an ISO-8601 instant like 2026-11-26T19:30:00Z.' });

export const NIGHT_STATUSES = ['open', 'closed', 'cancelled'] as const;
export const RSVP_STATUSES = ['in', 'maybe', 'out'] as const;

export const updateNightInput = z.strictObject({
  startsAt: instantSchema.optional(),
  closesAt: instantSchema.optional(),
  status: z.enum(['open', 'cancelled'], { error: 'Status must be "open" or "cancelled" (use /close to close a night).' }).optional(),
  /** This night only; refused (409 `method_locked`) once it has an approval, a ballot or a veto. */
  method: methodSchema.optional(),
  vetoes: vetoesSchema.optional(),
});

/** A ranked ballot: suggestion ids of the night, best first; any subset (empty = no ballot), no repeats. */
export const ballotInput = z.strictObject({
  ranking: z
    .array(z.string({ error: 'Each entry is a suggestion id.' }).min(1).max(64), { error: 'Send "ranking": a list of suggestion ids.' })
    .max(100, { message: 'Rank at most 100 suggestions.' })
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) {
          ctx.addIssue({ code: 'custom', message: `"${id}" is ranked twice: rank each suggestion once.` });
          return;
        }
        seen.add(id);
      }
    }),
});

export const reopenNightInput = z.strictObject({
  closesAt: instantSchema,
});

export const pickNightInput = z.strictObject({
  suggestionId: z.string({ error: 'Choose one of the tied suggestions.' }).min(1).max(64),
});

export const rsvpInput = z.strictObject({
  status: z.enum(RSVP_STATUSES, { error: 'Answer "in", "maybe" or "out".' }),
});

export const NOTIFICATION_KINDS = ['night_closing_soon', 'night_closed', 'nudge', 'removed_from_group', 'role_changed'] as const;

export const readNotificationsInput = z
  .strictObject({
    ids: z.array(z.string().min(1).max(64)).min(1).max(200).optional(),
    all: z.literal(true, { error: 'Send "all": true to mark every notification read.' }).optional(),
  })
  .refine((v) => (v.ids !== undefined) !== (v.all !== undefined), {
    message: 'Send either "ids" (a list of notification ids) or "all": true.',
    path: ['ids'],
  });

export const createInviteInput = z.strictObject({
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  maxUses: z.number().int().min(1).max(1000).optional(),
});

export const updateMemberInput = z.strictObject({
  role: z.enum(['admin', 'member'], { error: 'Role must be "admin" or "member".' }),
});

export const transferInput = z.strictObject({
  userId: z.string().min(1).max(64),
});

/** Ids are opaque; bounded like the path parameters. */
const entityId = (label: string) =>
  z
    .string()
    .max(64, { message: `${label} must be an id.` })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: `${label} must be an id.` });

/** `{gameName}` or `{gameId}`, exactly one (docs/api.md "Game library"). */
export const createSuggestionInput = z
  .strictObject({
    gameName: gameNameSchema.optional(),
    gameId: entityId('gameId').optional(),
    date: daySchema.optional(),
  })
  .refine((v) => (v.gameName === undefined) !== (v.gameId === undefined), {
    message: 'Give either gameName or gameId, not both.',
    path: ['gameName'],
  });

export const GAME_PLATFORMS = ['pc', 'playstation', 'xbox', 'switch', 'mobile', 'vr', 'tabletop'] as const;
export const MAX_GAME_ALIASES = 10;

/** A library name or alias: plain text, and it must keep at least one letter or digit for its key. */
const libraryName = (label: string) =>
  plainText(label, 1, 100).refine((v) => /[\p{L}\p{N}]/u.test(v), { message: `${label} needs at least one letter or digit.` });

const playerCount = (label: string) =>
  z
    .number({ error: `${label} must be a number.` })
    .int({ message: `${label} must be a whole number.` })
    .min(1, { message: `${label} must be between 1 and 100.` })
    .max(100, { message: `${label} must be between 1 and 100.` });

const gameFields = {
  name: libraryName('Game name'),
  aliases: z.array(libraryName('Alias')).max(MAX_GAME_ALIASES, { message: `At most ${MAX_GAME_ALIASES} aliases.` }),
  minPlayers: playerCount('minPlayers').nullable(),
  maxPlayers: playerCount('maxPlayers').nullable(),
  playtimeMinutes: z
    .number({ error: 'playtimeMinutes must be a number.' })
    .int({ message: 'playtimeMinutes must be a whole number.' })
    .min(1, { message: 'playtimeMinutes must be between 1 and 1440.' })
    .max(1440, { message: 'playtimeMinutes must be between 1 and 1440.' })
    .nullable(),
  platforms: z.array(z.enum(GAME_PLATFORMS, { message: `Platforms are ${GAME_PLATFORMS.join(', ')}.` })).max(GAME_PLATFORMS.length),
  steamAppId: z
    .number({ error: 'steamAppId must be a number.' })
    .int({ message: 'steamAppId must be a whole number.' })
    .min(1, { message: 'steamAppId must be a Steam app id.' })
    .max(2_147_483_647, { message: 'steamAppId must be a Steam app id.' })
    .nullable(),
};

const playersInOrder = (v: { minPlayers?: number | null; maxPlayers?: number | null }) =>
  v.minPlayers == null || v.maxPlayers == null || v.minPlayers <= v.maxPlayers;
const playersOrderIssue = { message: 'minPlayers must not be more than maxPlayers.', path: ['minPlayers'] };

export const createGameInput = z
  .strictObject({
    name: gameFields.name,
    aliases: gameFields.aliases.optional(),
    minPlayers: gameFields.minPlayers.optional(),
    maxPlayers: gameFields.maxPlayers.optional(),
    playtimeMinutes: gameFields.playtimeMinutes.optional(),
    platforms: gameFields.platforms.optional(),
    steamAppId: gameFields.steamAppId.optional(),
  })
  .refine(playersInOrder, playersOrderIssue);

/** The same fields, all optional; min ≤ max is checked again against the stored game. */
export const updateGameInput = z
  .strictObject({
    name: gameFields.name.optional(),
    aliases: gameFields.aliases.optional(),
    minPlayers: gameFields.minPlayers.optional(),
    maxPlayers: gameFields.maxPlayers.optional(),
    playtimeMinutes: gameFields.playtimeMinutes.optional(),
    platforms: gameFields.platforms.optional(),
    steamAppId: gameFields.steamAppId.optional(),
  })
  .refine(playersInOrder, playersOrderIssue);
export type CreateGameInput = z.infer<typeof createGameInput>;
export type UpdateGameInput = z.infer<typeof updateGameInput>;

export type RegisterInput = z.infer<typeof registerInput>;
export type LoginInput = z.infer<typeof loginInput>;
export type Role = 'owner' | 'admin' | 'member';

/** Turning on two-factor: a code from the app proves the seed was scanned. */
export const twoFactorEnableInput = z.strictObject({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app.' })
    .max(64, { message: 'Enter the 6-digit code from your authenticator app.' })
    .trim()
    .regex(/^\d{6}$/, { message: 'Enter the 6-digit code from your authenticator app.' }),
});

/** New recovery codes (the old ones stop working) need the password. */
export const recoveryCodesInput = z.strictObject({
  password: z.string({ error: 'Enter your password.' }).min(1, { message: 'Enter your password.' }).max(PASSWORD_MAX),
});

/** Turning off two-factor needs a fresh second factor (code or recovery code) or the password. */
export const twoFactorDisableInput = z
  .strictObject({
    code: totpCodeSchema.optional(),
    password: z.string().min(1).max(PASSWORD_MAX).optional(),
  })
  .refine((v) => v.code !== undefined || v.password !== undefined, {
    message: 'Enter a code from your authenticator app, a recovery code, or your password.',
    path: ['code'],
  });

/** Instance settings an instance admin may change. */
export const adminSettingsInput = z.strictObject({
  registration: z.enum(['open', 'invite-only', 'closed'], { error: 'Registration must be "open", "invite-only" or "closed".' }),
});

/** The second step of a Discord sign-in of an account with two-factor authentication. */
export const discordSecondFactorInput = z.strictObject({ totp: totpCodeSchema });

/** Steam import: optionally into one group's library (the caller must be a member). */
export const steamImportInput = z.strictObject({ groupId: z.string().min(1).max(64).optional() });

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** Push service URLs longer than this are refused. */
export const PUSH_ENDPOINT_MAX = 2048;
const pushEndpoint = z.string().min(1).max(PUSH_ENDPOINT_MAX);

/**
 * A browser's push keys, as PushSubscription.toJSON() gives them. The server also checks them as key
 * material (a point on P-256, a 16-byte secret), which needs node:crypto.
 */
export const pushKeysInput = z
  .strictObject({
    p256dh: z
      .string()
      .max(100)
      .regex(BASE64URL, 'Must be base64url.')
      .meta({ description: 'The browser-generated ECDH public key (base64url, 65-byte uncompressed P-256 point)' }),
    auth: z
      .string()
      .max(40)
      .regex(BASE64URL, 'Must be base64url.')
      .meta({ description: 'The browser-generated authentication secret (base64url, 16 bytes)' }),
  })
  .meta({ id: 'PushKeys' });

export const pushSubscriptionInput = z
  .strictObject({
    endpoint: pushEndpoint.meta({ description: 'The push service URL (https, public host name)' }),
    keys: pushKeysInput,
    /** PushSubscription.toJSON() includes it; accepted and ignored so a browser's JSON can be sent as is. */
    expirationTime: z.number().nullable().optional(),
  })
  .meta({ id: 'PushSubscriptionInput' });

export const pushUnsubscribeInput = z.strictObject({ endpoint: pushEndpoint }).meta({ id: 'PushUnsubscribeInput' });
