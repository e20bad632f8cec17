/** What other modules may use from ops: health/metrics routes, backups, retention and scheduled jobs. */
export {
  BackupError,
  createBackup,
  restoreBackup,
  verifyLatestBackup,
  listBackups,
  pruneBackups,
  holdDatabase,
  databaseHolder,
  type BackupInfo,
  type Manifest,
  type VerifyReport,
} from './backup.ts';
export { runRetention, type RetentionReport } from './retention.ts';
export { startScheduledJobs, runBackupJob, runRestoreDrillJob, runRetentionJob } from './jobs.ts';
