-- The audit log is append-only, enforced by the database itself.
-- UPDATE is refused unless it only pseudonymises a row (user id cleared, ip truncated or cleared,
-- user agent cleared) and leaves every other column as it was.
CREATE TRIGGER `security_events_no_update`
BEFORE UPDATE ON `security_events`
WHEN NOT (
  NEW.`id` = OLD.`id`
  AND NEW.`type` = OLD.`type`
  AND NEW.`created_at` = OLD.`created_at`
  AND NEW.`subject` IS OLD.`subject`
  AND NEW.`group_id` IS OLD.`group_id`
  AND NEW.`detail` IS OLD.`detail`
  AND (NEW.`user_id` IS OLD.`user_id` OR NEW.`user_id` IS NULL)
  AND (NEW.`user_agent` IS OLD.`user_agent` OR NEW.`user_agent` IS NULL)
  AND (NEW.`ip` IS OLD.`ip` OR NEW.`ip` IS NULL OR NEW.`ip` LIKE '%.0' OR NEW.`ip` LIKE '%::')
)
BEGIN
  SELECT RAISE(ABORT, 'security_events is append-only');
END;--> statement-breakpoint
-- DELETE is refused unless the row is older than the retention period stored in app_settings
-- (`audit_retention_days`, written at start-up from RETENTION_DAYS); without that setting, never.
CREATE TRIGGER `security_events_no_delete`
BEFORE DELETE ON `security_events`
WHEN OLD.`created_at` >= (unixepoch('subsec') * 1000) - COALESCE(
  (SELECT CAST(`value` AS INTEGER) FROM `app_settings` WHERE `key` = 'audit_retention_days'), 36500000
) * 86400000
BEGIN
  SELECT RAISE(ABORT, 'security_events is append-only');
END;
