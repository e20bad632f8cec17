/**
 * Scheduled jobs (croner), started by server.ts: the daily retention pass, and — when configured —
 * backups (BACKUP_CRON) and restore drills (RESTORE_DRILL_CRON). `protect` skips a run while the
 * previous one is still going. A failure is logged at error level with an `alert` field (what
 * log-based alerting keys on) and reflected in the metrics that the Prometheus alert rules watch.
 */
import { Cron } from 'croner';
import { ConfigError } from '../../env.ts';
import type { Services } from '../../services.ts';
import { createBackup, listBackups, verifyLatestBackup } from './backup.ts';
import { runRetention } from './retention.ts';

/** Every day at 03:17 server time: quiet hours, and off the top of the hour when other cron jobs run. */
export const RETENTION_CRON = '17 3 * * *';

export async function runBackupJob(services: Services): Promise<boolean> {
  const { config, logger, metrics } = services;
  try {
    const info = await createBackup(config);
    metrics.backupAge.set(Date.parse(info.createdAt) / 1000);
    logger.info({ job: 'backup', file: info.file, size: info.size, schemaVersion: info.schemaVersion }, 'backup written');
    return true;
  } catch (err) {
    logger.error({ err, job: 'backup', alert: 'backup_failed' }, 'backup FAILED');
    return false;
  }
}

export async function runRestoreDrillJob(services: Services): Promise<boolean> {
  const { config, logger, metrics } = services;
  metrics.restoreDrillTime.set(Date.now() / 1000);
  try {
    const report = await verifyLatestBackup(config);
    metrics.restoreDrill.set(1);
    logger.info(
      { job: 'restore_drill', file: report.file, integrity: report.integrity, rowCounts: report.rowCounts },
      'restore drill passed',
    );
    return true;
  } catch (err) {
    metrics.restoreDrill.set(0);
    logger.error({ err, job: 'restore_drill', alert: 'restore_drill_failed' }, 'restore drill FAILED');
    return false;
  }
}

export async function runRetentionJob(services: Services): Promise<boolean> {
  const { database, config, logger } = services;
  try {
    const report = await runRetention(database, config);
    logger.info({ job: 'retention', ...report }, 'retention pass done');
    return true;
  } catch (err) {
    logger.error({ err, job: 'retention', alert: 'retention_failed' }, 'retention pass FAILED');
    return false;
  }
}

function schedule(name: string, pattern: string, run: () => Promise<unknown>): Cron {
  try {
    // No croner `name`: names are process-global, so a second server in the same process (the
    // multi-instance tests) would fail to start with "name already taken".
    return new Cron(pattern, { protect: true }, async () => {
      await run();
    });
  } catch (e) {
    throw new ConfigError([`${name}: "${pattern}" is not a valid cron pattern (${(e as Error).message}), e.g. "0 3 * * *"`]);
  }
}

/** Starts the jobs; returns a function that stops them (called on graceful shutdown). */
export function startScheduledJobs(services: Services): () => void {
  const { config, metrics } = services;
  // The backup-age gauge starts from the newest backup on disk (also those made with `npm run backup`).
  const latest = listBackups(config)[0]?.info;
  if (latest) metrics.backupAge.set(Date.parse(latest.createdAt) / 1000);
  const jobs = [schedule('RETENTION', RETENTION_CRON, () => runRetentionJob(services))];
  if (config.backup.cron) jobs.push(schedule('BACKUP_CRON', config.backup.cron, () => runBackupJob(services)));
  if (config.backup.drillCron) jobs.push(schedule('RESTORE_DRILL_CRON', config.backup.drillCron, () => runRestoreDrillJob(services)));
  return () => {
    for (const job of jobs) job.stop();
  };
}
