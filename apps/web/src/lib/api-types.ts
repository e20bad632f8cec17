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

export interface GroupSummary {
  id: string;
  name: string;
  role: Role;
  memberCount: number;
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
  method: 'approval' | 'ranked';
  tieBreak: TieBreak;
  resultsVisibility: ResultsVisibility;
  winner: { suggestionId: string; gameName: string; votes: number | null; decidedBy: DecidedBy } | null;
  tied: string[];
  tieBreakSeed: string | null;
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
}

export interface Results {
  date: string;
  voters: number;
  suggestions: { id: string; gameName: string; votes: number | null }[];
  winners: string[];
}

export interface HistoryDay {
  date: string;
  winners: { id: string; gameName: string; votes: number }[];
  suggestions: number;
  voters: number;
  /** The closed night's decision (null: nothing suggested, or a tie still waiting for an admin). */
  winner?: { suggestionId: string | null; gameName: string; votes: number; decidedBy: DecidedBy } | null;
  decidedBy?: DecidedBy | null;
  /** Who said they were in. */
  in?: NightUser[];
}

export interface TwoFactorSetup {
  otpauthUrl: string;
  secret: string;
}
