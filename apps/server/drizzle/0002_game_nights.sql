CREATE TABLE `calendar_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE TABLE `discord_channels` (
	`group_id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`linked_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discord_channels_channel_unique` ON `discord_channels` (`guild_id`,`channel_id`);--> statement-breakpoint
CREATE TABLE `discord_interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `discord_interactions_received_idx` ON `discord_interactions` (`received_at`);--> statement-breakpoint
CREATE TABLE `discord_link_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`created_by` text,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `discord_link_codes_group_idx` ON `discord_link_codes` (`group_id`);--> statement-breakpoint
CREATE TABLE `game_keys` (
	`group_id` text NOT NULL,
	`key` text NOT NULL,
	`game_id` text NOT NULL,
	`is_name` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`group_id`, `key`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`game_id`) REFERENCES `games`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `game_keys_game_idx` ON `game_keys` (`game_id`);--> statement-breakpoint
CREATE TABLE `game_owners` (
	`game_id` text NOT NULL,
	`user_id` text NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`game_id`, `user_id`),
	FOREIGN KEY (`game_id`) REFERENCES `games`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `game_owners_user_idx` ON `game_owners` (`user_id`);--> statement-breakpoint
CREATE TABLE `games` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`name` text NOT NULL,
	`aliases` text DEFAULT '[]' NOT NULL,
	`min_players` integer,
	`max_players` integer,
	`playtime_minutes` integer,
	`platforms` text DEFAULT '[]' NOT NULL,
	`steam_app_id` integer,
	`cover_url` text,
	`added_by` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`added_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `games_group_idx` ON `games` (`group_id`,`name`);--> statement-breakpoint
CREATE INDEX `games_steam_idx` ON `games` (`group_id`,`steam_app_id`);--> statement-breakpoint
CREATE TABLE `nights` (
	`group_id` text NOT NULL,
	`day` text NOT NULL,
	`starts_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`remind_at` integer,
	`times_edited` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`method` text,
	`tie_break` text,
	`results_visibility` text,
	`winner_suggestion_id` text,
	`winner_game_name` text,
	`winner_votes` integer,
	`decided_by` text,
	`tied` text DEFAULT '[]' NOT NULL,
	`tie_break_seed` text,
	`closed_at` integer,
	`close_count` integer DEFAULT 0 NOT NULL,
	`reminder_sent_at` integer,
	`last_nudge_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	PRIMARY KEY(`group_id`, `day`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`winner_suggestion_id`) REFERENCES `suggestions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `nights_open_close_idx` ON `nights` (`status`,`closes_at`);--> statement-breakpoint
CREATE INDEX `nights_open_remind_idx` ON `nights` (`status`,`remind_at`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`push` text DEFAULT '{}' NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`group_id` text,
	`day` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`url` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`read_at` integer,
	`push_queued_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_push_pending_idx` ON `notifications` (`created_at`) WHERE push_queued_at IS NULL;--> statement-breakpoint
CREATE TABLE `push_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`notification_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` integer,
	`failed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`subscription_id`) REFERENCES `push_subscriptions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`notification_id`) REFERENCES `notifications`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_outbox_once` ON `push_outbox` (`subscription_id`,`notification_id`);--> statement-breakpoint
CREATE INDEX `push_outbox_due_idx` ON `push_outbox` (`delivered_at`,`failed_at`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`endpoint_hash` text NOT NULL,
	`endpoint_enc` text NOT NULL,
	`keys_enc` text NOT NULL,
	`user_agent` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_success_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint_unique` ON `push_subscriptions` (`endpoint_hash`);--> statement-breakpoint
CREATE INDEX `push_subscriptions_user_idx` ON `push_subscriptions` (`user_id`);--> statement-breakpoint
CREATE TABLE `rsvps` (
	`group_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`group_id`, `day`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rsvps_user_idx` ON `rsvps` (`user_id`);--> statement-breakpoint
CREATE TABLE `steam_openid_nonces` (
	`nonce` text PRIMARY KEY NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `steam_openid_nonces_seen_idx` ON `steam_openid_nonces` (`seen_at`);--> statement-breakpoint
CREATE TABLE `steam_openid_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`return_to` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `groups` ADD `night_start_time` text DEFAULT '20:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `night_close_before_minutes` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `night_tie_break` text DEFAULT 'random' NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `night_results_visibility` text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `night_reminder_before_minutes` integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `night_method` text DEFAULT 'approval' NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `night_vetoes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `discord_join_policy` text DEFAULT 'members' NOT NULL;--> statement-breakpoint
ALTER TABLE `suggestions` ADD `game_id` text REFERENCES games(id);--> statement-breakpoint
ALTER TABLE `users` ADD `steam_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_steam_id_unique` ON `users` (`steam_id`);
--> statement-breakpoint
-- Existing data: every day with suggestions whose voting had ended under the old rule ("a day takes
-- votes until the end of the next day") becomes a closed night, with the winner that rule gave: the most
-- approvals (at least one), the earliest suggestion among equals, `tied` listing all equals by id.
-- SQL cannot compute group-local instants, so the start is 20:00 UTC of that day and the close the
-- start of day+2 UTC; these nights are history, nothing schedules on them. Days still open under the
-- old rule get their open nights at start-up from the group's defaults (features/nights backfill).
INSERT INTO `nights` (`group_id`, `day`, `starts_at`, `closes_at`, `status`, `method`, `tie_break`, `results_visibility`,
  `winner_suggestion_id`, `winner_game_name`, `winner_votes`, `decided_by`, `tied`, `closed_at`, `close_count`)
WITH tally AS (
  SELECT s.id, s.group_id, s.day, s.game_name, s.created_at, count(v.user_id) AS votes
  FROM suggestions s LEFT JOIN votes v ON v.suggestion_id = s.id
  WHERE s.day < date('now', '-1 day')
  GROUP BY s.id
), best AS (
  SELECT group_id, day, max(votes) AS top FROM tally GROUP BY group_id, day
), leaders AS (
  SELECT t.* FROM tally t JOIN best b ON b.group_id = t.group_id AND b.day = t.day
  WHERE t.votes = b.top AND b.top > 0
)
SELECT b.group_id, b.day,
  unixepoch(b.day || ' 20:00:00') * 1000,
  unixepoch(date(b.day, '+2 day')) * 1000,
  'closed', 'approval', 'random', 'live',
  (SELECT l.id FROM leaders l WHERE l.group_id = b.group_id AND l.day = b.day ORDER BY l.created_at, l.id LIMIT 1),
  (SELECT l.game_name FROM leaders l WHERE l.group_id = b.group_id AND l.day = b.day ORDER BY l.created_at, l.id LIMIT 1),
  CASE WHEN b.top > 0 THEN b.top END,
  CASE WHEN b.top > 0 THEN 'votes' END,
  CASE WHEN (SELECT count(*) FROM leaders l WHERE l.group_id = b.group_id AND l.day = b.day) > 1
    THEN (SELECT json_group_array(id) FROM (SELECT l.id FROM leaders l WHERE l.group_id = b.group_id AND l.day = b.day ORDER BY l.id))
    ELSE '[]' END,
  unixepoch(date(b.day, '+2 day')) * 1000,
  1
FROM best b;
