/**
 * `npm run restore -- <file> [--force]`: authenticates and decrypts a backup into a new file, checks
 * `PRAGMA integrity_check` and the row counts of the manifest, and only then swaps it in for the
 * configured database (the old file is moved aside, not deleted). Refuses while a server holds the
 * database unless --force.
 *
 * `npm run restore:verify` (= `--verify-latest`): the restore drill. Restores the newest backup into a
 * scratch file, verifies it, deletes it, and prints a report. Exit 0 = passed, 1 = failed.
 */
import { ConfigError, loadConfig } from '../env.ts';
import { BackupError, restoreBackup, verifyLatestBackup } from '../features/ops/index.ts';

const USAGE = 'Usage: npm run restore -- <backup-file> [--force]    |    npm run restore:verify';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const files = args.filter((a) => !a.startsWith('--'));
const unknown = [...flags].filter((f) => !['--force', '--verify-latest'].includes(f));

if (unknown.length > 0 || (flags.has('--verify-latest') ? files.length !== 0 : files.length !== 1)) {
  process.stderr.write(`${unknown.length > 0 ? `Unknown option ${unknown.join(', ')}. ` : ''}${USAGE}\n`);
  process.exit(2);
}

try {
  const config = loadConfig();
  if (flags.has('--verify-latest')) {
    const report = await verifyLatestBackup(config);
    process.stdout.write(
      `${JSON.stringify({ ok: true, drill: 'passed', file: report.file, createdAt: report.manifest.createdAt, schemaVersion: report.manifest.schemaVersion, integrity: report.integrity, rowCounts: report.rowCounts }, null, 2)}\n`,
    );
  } else {
    const result = await restoreBackup(files[0]!, config, { force: flags.has('--force') });
    process.stdout.write(
      `${JSON.stringify({ ok: true, restoredTo: result.restoredTo, previous: result.previous ?? null, createdAt: result.manifest.createdAt, schemaVersion: result.manifest.schemaVersion, integrity: result.integrity, rowCounts: result.rowCounts }, null, 2)}\n`,
    );
  }
} catch (e) {
  if (e instanceof ConfigError || e instanceof BackupError) {
    process.stderr.write(`${flags.has('--verify-latest') ? 'Restore drill FAILED' : 'Restore refused'}. ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
