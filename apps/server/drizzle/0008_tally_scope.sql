-- Votes, ballots and vetoes stamp the scope `t:<group>` (the group's tallies) instead of `g:<group>`:
-- a vote drops the group's cached results, no longer its row, its members' roles, its nights and its
-- suggestions, which the vote path itself reads from the caches (lib/read-caches.ts, decision 117).
DROP TRIGGER `cache_versions_ballots_insert`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_ballots_insert` AFTER INSERT ON `ballots`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_ballots_update`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_ballots_update` AFTER UPDATE ON `ballots`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_ballots_delete`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_ballots_delete` AFTER DELETE ON `ballots`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_vetoes_insert`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_vetoes_insert` AFTER INSERT ON `vetoes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_vetoes_update`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_vetoes_update` AFTER UPDATE ON `vetoes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || NEW.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_vetoes_delete`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_vetoes_delete` AFTER DELETE ON `vetoes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || OLD.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') WHERE true ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_votes_insert`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_votes_insert` AFTER INSERT ON `votes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = NEW.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_votes_update`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_votes_update` AFTER UPDATE ON `votes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = OLD.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = NEW.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
--> statement-breakpoint
DROP TRIGGER `cache_versions_votes_delete`;
--> statement-breakpoint
CREATE TRIGGER `cache_versions_votes_delete` AFTER DELETE ON `votes`
BEGIN
  UPDATE `cache_versions` SET `version` = `version` + 1 WHERE `scope` = '*';
  INSERT INTO `cache_versions` (`scope`, `version`) SELECT 't:' || s.`group_id`, (SELECT `version` FROM `cache_versions` WHERE `scope` = '*') FROM `suggestions` s WHERE s.`id` = OLD.`suggestion_id` ON CONFLICT(`scope`) DO UPDATE SET `version` = excluded.`version`;
END;
