-- Existing suggestions become library games (shared/API.md "Game library"): one game per distinct
-- (group, library key) of the suggestions not yet linked, named and attributed after the earliest
-- suggestion with that key; then every such suggestion links to its game.
--
-- The key is an APPROXIMATION of libraryKey() in packages/shared (NFKC, lower case, whitespace and all
-- Unicode punctuation removed): SQLite's lower() folds ASCII letters only, there is no NFKC, and only
-- common punctuation is removed here (space, tab, - : ! . , ' " ? _ / & ( ) ; # * @ [ ]). Names that
-- differ only in non-ASCII case, compatibility forms or rarer punctuation therefore stay separate games
-- (an admin can merge them by deleting one and adding its name as an alias of the other), and a later
-- suggestion whose runtime key differs from the SQL key of such a name adds a new game instead of
-- linking. For ASCII names (the common case) the SQL key equals libraryKey().
-- A name whose key would be empty (punctuation only) keeps lower(trim(name)), as libraryKey() does.
-- The keys are computed step by step in a scratch table (one nested replace() for all characters
-- overflows SQLite's parser stack); the scratch tables are dropped at the end.
CREATE TABLE `__suggestion_library_keys` (`id` text PRIMARY KEY NOT NULL, `group_id` text NOT NULL, `name` text NOT NULL, `suggested_by` text, `created_at` integer NOT NULL, `k` text NOT NULL);
--> statement-breakpoint
INSERT INTO `__suggestion_library_keys` SELECT `id`, `group_id`, `game_name`, `suggested_by`, `created_at`, lower(trim(`game_name`)) FROM `suggestions` WHERE `game_id` IS NULL;
--> statement-breakpoint
UPDATE `__suggestion_library_keys` SET `k` = replace(replace(replace(replace(replace(replace(replace(`k`, ' ', ''), '-', ''), ':', ''), '!', ''), '.', ''), ',', ''), '''', '');
--> statement-breakpoint
UPDATE `__suggestion_library_keys` SET `k` = replace(replace(replace(replace(replace(replace(replace(`k`, '"', ''), '?', ''), '_', ''), '/', ''), '&', ''), '(', ''), ')', '');
--> statement-breakpoint
UPDATE `__suggestion_library_keys` SET `k` = replace(replace(replace(replace(replace(replace(replace(`k`, ';', ''), '#', ''), '*', ''), '@', ''), '[', ''), ']', ''), char(9), '');
--> statement-breakpoint
UPDATE `__suggestion_library_keys` SET `k` = lower(trim(`name`)) WHERE `k` = '';
--> statement-breakpoint
-- One game per (group, key): named and attributed after the earliest suggestion (SQLite takes the bare
-- columns from the row of min()).
CREATE TABLE `__suggestion_library_games` (`group_id` text NOT NULL, `k` text NOT NULL, `game_id` text NOT NULL, `name` text NOT NULL, `suggested_by` text, `created_at` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `__suggestion_library_games` SELECT `group_id`, `k`, lower(hex(randomblob(16))), `name`, `suggested_by`, min(`created_at`) FROM `__suggestion_library_keys` GROUP BY `group_id`, `k`;
--> statement-breakpoint
-- A key some game already holds links to that game instead of adding one.
INSERT INTO `games` (`id`, `group_id`, `name`, `added_by`, `created_at`)
SELECT x.`game_id`, x.`group_id`, x.`name`, x.`suggested_by`, x.`created_at` FROM `__suggestion_library_games` x
WHERE NOT EXISTS (SELECT 1 FROM `game_keys` gk WHERE gk.`group_id` = x.`group_id` AND gk.`key` = x.`k`);
--> statement-breakpoint
INSERT INTO `game_keys` (`group_id`, `key`, `game_id`, `is_name`)
SELECT x.`group_id`, x.`k`, x.`game_id`, 1 FROM `__suggestion_library_games` x WHERE EXISTS (SELECT 1 FROM `games` g WHERE g.`id` = x.`game_id`);
--> statement-breakpoint
UPDATE `suggestions` SET `game_id` = (
  SELECT gk.`game_id` FROM `__suggestion_library_keys` t JOIN `game_keys` gk ON gk.`group_id` = t.`group_id` AND gk.`key` = t.`k`
  WHERE t.`id` = `suggestions`.`id`
) WHERE `game_id` IS NULL;
--> statement-breakpoint
DROP TABLE `__suggestion_library_games`;
--> statement-breakpoint
DROP TABLE `__suggestion_library_keys`;
