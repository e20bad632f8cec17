CREATE TABLE `ballots` (
	`group_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`suggestion_id` text NOT NULL,
	`rank` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`suggestion_id`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suggestion_id`) REFERENCES `suggestions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ballots_member_rank_unique` ON `ballots` (`group_id`,`day`,`user_id`,`rank`);--> statement-breakpoint
CREATE INDEX `ballots_user_idx` ON `ballots` (`user_id`);--> statement-breakpoint
CREATE TABLE `vetoes` (
	`group_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`suggestion_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`group_id`, `day`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suggestion_id`) REFERENCES `suggestions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `vetoes_suggestion_idx` ON `vetoes` (`suggestion_id`);--> statement-breakpoint
CREATE INDEX `vetoes_user_idx` ON `vetoes` (`user_id`);--> statement-breakpoint
ALTER TABLE `nights` ADD `vetoes` integer;--> statement-breakpoint
ALTER TABLE `nights` ADD `rounds` text;--> statement-breakpoint
ALTER TABLE `nights` ADD `no_winner_reason` text;