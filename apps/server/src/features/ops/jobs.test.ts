import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../env.ts';
import { createTestApp, testEnv, type TestApp } from '../../test/create-test-app.ts';
import { createUser } from '../../test/factories.ts';
import { listBackups } from './backup.ts';
import { runBackupJob, runRestoreDrillJob, runRetentionJob, startScheduledJobs } from './jobs.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function gauge(name: string): Promise<number> {
  const metric = await t.services.metrics.registry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value ?? Number.NaN;
}

describe('scheduled jobs', () => {
  it('backup and drill set their gauges; a failing drill sets 0 and logs an alert', async () => {
    await createUser(t);
    expect(await runBackupJob(t.services)).toBe(true);
    const backupTs = await gauge('queuecrew_backup_last_success_timestamp_seconds');
    expect(backupTs).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(await runRestoreDrillJob(t.services)).toBe(true);
    expect(await gauge('queuecrew_restore_drill_last_result')).toBe(1);
    expect(await gauge('queuecrew_restore_drill_last_run_timestamp_seconds')).toBeGreaterThan(0);

    // Damage the newest backup: the next drill fails loudly.
    const newest = listBackups(t.services.config)[0]!.file;
    writeFileSync(newest, 'not a backup any more');
    expect(await runRestoreDrillJob(t.services)).toBe(false);
    expect(await gauge('queuecrew_restore_drill_last_result')).toBe(0);
    const alert = t.logs.lines
      .map((l) => JSON.parse(l) as { alert?: string; level: string })
      .find((l) => l.alert === 'restore_drill_failed');
    expect(alert?.level).toBe('error');
    expect(await runRetentionJob(t.services)).toBe(true);
  });

  it('a failing backup logs an alert and leaves the gauge alone', async () => {
    t.services.config = loadConfig(testEnv(t.dir, { DATABASE_URL: 'libsql://remote.example' }));
    expect(await runBackupJob(t.services)).toBe(false);
    expect(await gauge('queuecrew_backup_last_success_timestamp_seconds')).toBe(0);
    expect(t.logs.text).toContain('"alert":"backup_failed"');
  });

  it('refuses an invalid cron pattern with a configuration error naming the variable', () => {
    const services = { ...t.services, config: loadConfig(testEnv(t.dir, { BACKUP_CRON: 'every night' })) };
    expect(() => startScheduledJobs(services)).toThrow(ConfigError);
    expect(() => startScheduledJobs(services)).toThrow(/BACKUP_CRON/);
    const stop = startScheduledJobs({ ...t.services, config: loadConfig(testEnv(t.dir, { BACKUP_CRON: '0 3 * * *' })) });
    stop();
  });
});
