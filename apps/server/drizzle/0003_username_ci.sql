ALTER TABLE `users` ADD `username_key` text;--> statement-breakpoint
-- Usernames become unique case-insensitively (issue 14, bug 11). Existing duplicates keep the oldest
-- account's name; every later one gets a suffix from its id (24 + 1 + 7 = at most 32 characters, only
-- [A-Za-z0-9_-], so still a valid username). Usernames so far are ASCII only ([A-Za-z0-9_.-]: the
-- register rule and usernameFromDiscord), so SQLite's ASCII lower() equals usernameKey() here.
UPDATE `users` SET `username` = substr(`username`, 1, 24) || '_' || substr(`id`, 1, 7)
WHERE EXISTS (
  SELECT 1 FROM `users` AS `o`
  WHERE lower(`o`.`username`) = lower(`users`.`username`)
    AND (`o`.`created_at` < `users`.`created_at` OR (`o`.`created_at` = `users`.`created_at` AND `o`.`id` < `users`.`id`))
);--> statement-breakpoint
UPDATE `users` SET `username_key` = lower(`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_key_unique` ON `users` (`username_key`);
