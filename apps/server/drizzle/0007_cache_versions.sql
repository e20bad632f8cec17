CREATE TABLE `cache_versions` (
	`scope` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `cache_versions_version_idx` ON `cache_versions` (`version`);
--> statement-breakpoint
-- Change counters for the in-process caches (db/change-feed.ts): every change to what a cache
-- holds bumps the sequence `*` and stamps its scope with it, in the same transaction as the change.
INSERT INTO `cache_versions` (`scope`, `version`) VALUES ('*', 0);
--> statement-breakpoint
CREATE TRIGGER `cache_versions_users_update` AFTER UPDATE ON `users`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'u:' || OLD.`id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'u:' || NEW.`id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_users_delete` AFTER DELETE ON `users`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'u:' || OLD.`id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_sessions_update` AFTER UPDATE ON `sessions`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'u:' || OLD.`user_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'u:' || NEW.`user_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_sessions_delete` AFTER DELETE ON `sessions`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'u:' || OLD.`user_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_groups_update` AFTER UPDATE ON `groups`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_groups_delete` AFTER DELETE ON `groups`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_memberships_insert` AFTER INSERT ON `memberships`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_memberships_update` AFTER UPDATE ON `memberships`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_memberships_delete` AFTER DELETE ON `memberships`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_suggestions_insert` AFTER INSERT ON `suggestions`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_suggestions_update` AFTER UPDATE ON `suggestions`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_suggestions_delete` AFTER DELETE ON `suggestions`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_ballots_insert` AFTER INSERT ON `ballots`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_ballots_update` AFTER UPDATE ON `ballots`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_ballots_delete` AFTER DELETE ON `ballots`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_vetoes_insert` AFTER INSERT ON `vetoes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_vetoes_update` AFTER UPDATE ON `vetoes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_vetoes_delete` AFTER DELETE ON `vetoes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_nights_insert` AFTER INSERT ON `nights`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_nights_update` AFTER UPDATE ON `nights`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_nights_delete` AFTER DELETE ON `nights`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_votes_insert` AFTER INSERT ON `votes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = NEW.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_votes_update` AFTER UPDATE ON `votes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = OLD.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = NEW.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_votes_delete` AFTER DELETE ON `votes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 'g:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = OLD.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
