/**
 * The DTOs of shared/API.md as TypeScript types. Inputs come from @queuecrew/shared (the same zod schemas
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
}

export interface Session {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
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
  votes: number;
  votedByMe: boolean;
  voters: Voter[];
  createdAt: string;
}

export interface Results {
  date: string;
  voters: number;
  suggestions: { id: string; gameName: string; votes: number }[];
  winners: string[];
}

export interface HistoryDay {
  date: string;
  winners: { id: string; gameName: string; votes: number }[];
  suggestions: number;
  voters: number;
}

export interface TwoFactorSetup {
  otpauthUrl: string;
  secret: string;
}
