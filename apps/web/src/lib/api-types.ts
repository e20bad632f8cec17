/**
 * The DTOs of docs/api.md as TypeScript types. Inputs come from @queuecrew/shared (the same zod schemas
 * the server validates with); outputs are written here because the server's routers are not chained into
 * one typed Hono app (see docs/decisions/050-web-api-client.md).
 */
export type Role = 'owner' | 'admin' | 'member';

export interface User {
  id: string;
  username: string;
  email: string | null;
  avatarUrl: string | null;
  discordLinked: boolean;
  /** A Steam account is linked (game library import). */
  steamLinked: boolean;
  twoFactorEnabled: boolean;
  hasPassword: boolean;
  isInstanceAdmin: boolean;
  createdAt: string;
}

export interface AuthConfig {
  discord: boolean;
  registration: 'open' | 'invite-only' | 'closed';
  /** "Add to server" link for the two-way Discord channel; null when it is off. */
  discordInstallUrl: string | null;
}

export interface Session {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** POST /api/users/me/calendar: the private feed URL (shown once; the server keeps only its hash). */
export interface CalendarFeed {
  url: string;
}

export interface ActivityEvent {
  type: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
}

/** Today's night of a group, as the My groups list shows it (docs/api.md "Groups"). */
export interface GroupTonight {
  date: string;
  status: 'open' | 'closed' | 'cancelled';
  startsAt: string;
  closesAt: string;
  /** Results kept until the close: no leader is sent. */
  resultsHidden: boolean;
  suggestions: number;
  leader: { gameName: string; votes: number; tied: boolean } | null;
  winner: { gameName: string; votes: number } | null;
}

export interface GroupSummary {
  id: string;
  name: string;
  role: Role;
  memberCount: number;
  timezone: string;
  tonight: GroupTonight;
}

export interface Member {
  id: string;
  username: string;
  avatarUrl: string | null;
  role: Role;
}

export interface GroupDetail {
  id: string;
  name: string;
  description: string | null;
  timezone: string;
  createdAt: string;
  role: Role;
  members: Member[];
  /** Only in the answer to admins and the owner; members get no such field. */
  discordWebhook?: DiscordWebhook;
  /** Only for admins and the owner: the Discord channel linked with /queuecrew link, or null. */
  discordChannel?: DiscordChannel | null;
  /** The group's game-night defaults (API.md "Game nights"); optional until every server sends it. */
  nightDefaults?: NightDefaults;
}

export type TieBreak = 'random' | 'least_recent' | 'admin';
export type ResultsVisibility = 'live' | 'after_close';

export interface NightDefaults {
  /** "HH:MM" in the group's timezone. */
  startTime: string;
  closeBeforeMinutes: number;
  tieBreak: TieBreak;
  resultsVisibility: ResultsVisibility;
  reminderBeforeMinutes: number;
  method: 'approval' | 'ranked';
  vetoes: 0 | 1;
}

export type RsvpStatus = 'in' | 'maybe' | 'out';
export type NightStatus = 'open' | 'closed' | 'cancelled';
export type DecidedBy = 'votes' | 'random' | 'least_recent' | 'admin';
export type NightMethod = 'approval' | 'ranked';
/** Why a closed night has no winner and no pending tie (docs/api.md "Fair picks"). */
export type NoWinnerReason = 'no_suggestions' | 'no_votes' | 'all_vetoed';

export interface NightUser {
  id: string;
  username: string;
  avatarUrl: string | null;
}

export interface Night {
  groupId: string;
  date: string;
  startsAt: string;
  closesAt: string;
  status: NightStatus;
  /** Fixed on the night's first suggestion, approval, ballot or veto; until then the group's default. */
  method: NightMethod;
  /** Vetoes per member on this night (0 or 1). */
  vetoes: 0 | 1;
  tieBreak: TieBreak;
  resultsVisibility: ResultsVisibility;
  /** `votes`: approvals, or (ranked) the winner's votes in the last instant-runoff round. */
  winner: { suggestionId: string; gameName: string; votes: number | null; decidedBy: DecidedBy } | null;
  tied: string[];
  tieBreakSeed: string | null;
  /** Closed without a winner or pending tie: why. null otherwise. */
  noWinnerReason: NoWinnerReason | null;
  rsvps: Record<RsvpStatus, NightUser[]>;
  myRsvp: RsvpStatus | null;
  voters: number;
  notVoted: NightUser[];
  closedAt: string | null;
}

export type DiscordJoinPolicy = 'members' | 'channel';

/** The Discord channel bound to a group, and who may act from it. */
export interface DiscordChannel {
  guildId: string;
  channelId: string;
  joinPolicy: DiscordJoinPolicy;
}

/** A single-use code (10 minutes) to type as `/queuecrew link code:<code>` in the channel. */
export interface DiscordLinkCode {
  code: string;
  expiresAt: string;
}

/** A group's Discord announcement settings as admins see them: the URL only ever masked. */
export interface DiscordWebhook {
  configured: boolean;
  masked: string | null;
  onSuggestion: boolean;
  onWinner: boolean;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface Invite {
  id: string;
  code: string;
  url: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  /** Older servers send no status: treat the link as active. */
  status?: 'active' | 'expired' | 'used_up';
}

export interface InvitePreview {
  groupName: string;
  memberCount: number;
  expiresAt: string | null;
}

export interface Voter {
  id: string;
  username: string;
  avatarUrl: string | null;
}

export interface Suggestion {
  id: string;
  gameName: string;
  date: string;
  suggestedBy: { id: string; username: string } | null;
  /** null while the night hides results (resultsVisibility "after_close"). */
  votes: number | null;
  votedByMe: boolean;
  voters: Voter[];
  createdAt: string;
  /** Who vetoed it (nights with vetoes: 1); public also while results are hidden. A vetoed suggestion cannot win. */
  vetoedBy: Voter[];
  /** The library game it links to (null once that game was deleted; absent from older servers). */
  game?: SuggestionGame | null;
  /** Playable with who's in for the suggestion's night (null without a library game). */
  playable?: Playable | null;
}

export type Platform = 'pc' | 'playstation' | 'xbox' | 'switch' | 'mobile' | 'vr' | 'tabletop';

export interface GameUser {
  id: string;
  username: string;
  avatarUrl: string | null;
}

/** `playable` for a night: RSVPs "in", whether that fits min–max players, and the "in" members who do not own it. */
export interface Playable {
  in: number;
  fits: boolean | null;
  ownersIn: number;
  missingOwners: GameUser[];
}

export interface SuggestionGame {
  id: string;
  coverUrl: string | null;
  minPlayers: number | null;
  maxPlayers: number | null;
  /** Closed nights before the suggestion's date won by this game (any name or alias). */
  timesWon: number;
  /** The latest of those nights; null if it never won before. */
  lastWonOn: string | null;
}

/** A library game (API.md "Game library"); `playable` only when listed with `?date`. */
export interface Game {
  id: string;
  name: string;
  aliases: string[];
  minPlayers: number | null;
  maxPlayers: number | null;
  playtimeMinutes: number | null;
  platforms: Platform[];
  steamAppId: number | null;
  coverUrl: string | null;
  owners: GameUser[];
  ownedByMe: boolean;
  timesWon: number;
  lastWonOn: string | null;
  addedBy: { id: string; username: string } | null;
  createdAt: string;
  playable?: Playable;
}

/** POST /api/users/me/steam/import. */
export interface SteamImportResult {
  owned: number;
  matched: number;
  games: { steamAppId: number; name: string; playtimeMinutes: number }[];
}

/** One instant-runoff round: votes per suggestion still in, and who went out after it (null: the last round). */
export interface RunoffRound {
  counts: Record<string, number>;
  eliminated: string | null;
}

export interface Results {
  date: string;
  method: NightMethod;
  /** Approval: members who approved something. Ranked: members with a ballot. */
  voters: number;
  /** Ranked nights: `votes` are first choices. null while results are hidden. */
  suggestions: { id: string; gameName: string; votes: number | null }[];
  winners: string[];
  /** Ranked nights once closed: the rounds of the instant runoff; [] otherwise (and while hidden). */
  rounds: RunoffRound[];
}

/** PUT/GET /api/groups/:groupId/nights/:date/ballot — the caller's own ranking, best first ([] = none). */
export interface Ballot {
  date: string;
  ranking: string[];
}

/** POST /api/suggestions/:id/veto, and the `veto_updated` live event. */
export interface VetoResult {
  suggestionId: string;
  vetoedBy: Voter[];
}

/** GET /api/groups/:groupId/stats ?from&to (≤ 366 days; default the 366 days up to today). */
export interface GroupStats {
  from: string;
  to: string;
  nights: number;
  games: { gameId: string | null; name: string; wins: number; lastWonOn: string }[];
  members: { id: string; username: string; nightsIn: number; suggestions: number; approvals: number; picksWon: number }[];
}

export interface HistoryDay {
  date: string;
  winners: { id: string; gameName: string; votes: number }[];
  suggestions: number;
  voters: number;
  /** The closed night's decision (null: nothing suggested, or a tie still waiting for an admin). */
  /** `gameId`: the winning suggestion's library game (the same under any alias); null once gone. */
  winner?: { suggestionId: string | null; gameId?: string | null; gameName: string; votes: number; decidedBy: DecidedBy } | null;
  decidedBy?: DecidedBy | null;
  /** Who said they were in. */
  in?: NightUser[];
}

export interface TwoFactorSetup {
  otpauthUrl: string;
  secret: string;
}

/** GET /api/notifications (API.md "Notifications, push and an installable app"); also the `notification` live event's data. */
export type NotificationKind = 'night_closing_soon' | 'night_closed' | 'nudge' | 'removed_from_group' | 'role_changed';

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  groupId: string | null;
  /** The night's day, or null (`role_changed`, `removed_from_group`). */
  date: string | null;
  title: string;
  body: string;
  /** A path inside the app (e.g. `/groups/<groupId>?date=<date>`). */
  url: string;
  createdAt: string;
  readAt: string | null;
}
