/**
 * `npm run backup`: writes an encrypted, authenticated snapshot of the database to BACKUP_DIR and
 * prunes to BACKUP_KEEP. Safe while the server runs. Prints the manifest as JSON; exit 1 on failure.
 */
import { ConfigError, loadConfig } from '../env.ts';
import { BackupError, createBackup } from '../features/ops/index.ts';

try {
  const config = loadConfig();
  const info = await createBackup(config);
  process.stdout.write(`${JSON.stringify({ ok: true, ...info }, null, 2)}\n`);
} catch (e) {
  if (e instanceof ConfigError || e instanceof BackupError) {
    process.stderr.write(`Backup failed. ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
