/**
 * Encrypted, authenticated backups with a verified restore.
 *
 * Snapshot: `VACUUM INTO` on a separate connection. It runs inside one read transaction, so the copy
 * is a consistent point in time even while the server keeps writing (WAL readers never block the
 * writer), and libSQL writes the copy encrypted with the same DATABASE_ENCRYPTION_KEY, so no plaintext
 * database ever touches the disk (docs/decisions/040-backup-format.md).
 *
 * Envelope: the snapshot is then sealed with AES-256-GCM under a key derived from BACKUP_KEY, in 1 MiB
 * chunks. Each chunk's nonce is a random prefix + its index and its additional data binds the header
 * hash, the index and a "last chunk" flag, so a flipped bit, a reordered, dropped or appended chunk, a
 * truncated file or an edited manifest all fail authentication.
 *
 * File layout: "QCBACKUP" | u32 header length | header JSON | { u32 length | ciphertext | 16-byte tag }*
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import type { Config } from '../../env.ts';
import { deriveKey, keyId } from '../../lib/crypto.ts';
import { localPath } from '../../db/client.ts';

const MAGIC = Buffer.from('QCBACKUP', 'latin1');
const FORMAT_VERSION = 1;
const CHUNK_SIZE = 1024 * 1024;
const TAG_BYTES = 16;
const SUFFIX = '.qcbk';
const MIGRATIONS_JOURNAL = resolve(import.meta.dirname, '../../../drizzle/meta/_journal.json');

/** A problem an operator can act on; the CLI prints `message` and exits non-zero. */
export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly code: 'wrong_key' | 'tampered' | 'not_a_backup' | 'verify_failed' | 'in_use' | 'no_backup' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}

export interface Manifest {
  format: 'queuecrew-backup';
  version: number;
  createdAt: string;
  /** Size and SHA-256 of the snapshot (the encrypted database file inside the envelope). */
  snapshotSize: number;
  snapshotSha256: string;
  /** The last migration applied to the snapshot, e.g. `0001_audit_log_append_only`. */
  schemaVersion: string;
  rowCounts: Record<string, number>;
}

interface Header {
  format: 'queuecrew-backup';
  version: number;
  cipher: 'aes-256-gcm';
  kid: string;
  chunkSize: number;
  noncePrefix: string;
  manifest: Manifest;
}

/** What `<file>.manifest.json` beside each backup holds: the manifest plus the envelope's own size/hash. */
export interface BackupInfo extends Manifest {
  file: string;
  size: number;
  sha256: string;
}

function backupKey(config: Config): Buffer {
  return deriveKey(config.backup.key, 'backup');
}

function databaseFile(config: Config): string {
  const file = localPath(config.database.url);
  if (!file) {
    throw new BackupError(
      'unsupported',
      `Backups cover the embedded database file only; ${config.database.url} is a remote libSQL server — use its own backups.`,
    );
  }
  return resolve(file);
}

function openSnapshot(file: string, config: Config): Client {
  return createClient({ url: `file:${file}`, encryptionKey: config.database.encryptionKey, intMode: 'number' });
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Row counts of every table (internal sqlite_* tables excepted), read from an open database. */
export async function countRows(client: Client): Promise<Record<string, number>> {
  const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const counts: Record<string, number> = {};
  for (const row of tables.rows) {
    const name = String(row['name']);
    const r = await client.execute(`SELECT count(*) AS n FROM ${quoteIdent(name)}`);
    counts[name] = Number(r.rows[0]?.['n'] ?? 0);
  }
  return counts;
}

/** The tag of the newest migration recorded in the database (drizzle stores the journal's `when`). */
export async function schemaVersion(client: Client): Promise<string> {
  const journal = JSON.parse(readFileSync(MIGRATIONS_JOURNAL, 'utf8')) as { entries: Array<{ tag: string; when: number }> };
  let last: number | undefined;
  try {
    const r = await client.execute('SELECT max(created_at) AS w FROM __drizzle_migrations');
    last = r.rows[0]?.['w'] == null ? undefined : Number(r.rows[0]['w']);
  } catch {
    return 'none';
  }
  if (last === undefined) return 'none';
  return journal.entries.find((e) => e.when === last)?.tag ?? `unknown-${last}`;
}

/** Every migration tag this build of the server knows, oldest first. */
export function knownSchemaVersions(): string[] {
  const journal = JSON.parse(readFileSync(MIGRATIONS_JOURNAL, 'utf8')) as { entries: Array<{ tag: string }> };
  return journal.entries.map((e) => e.tag);
}

/** The newest migration this build of the server knows about. */
export function codeSchemaVersion(): string {
  const journal = JSON.parse(readFileSync(MIGRATIONS_JOURNAL, 'utf8')) as { entries: Array<{ tag: string }> };
  return journal.entries.at(-1)?.tag ?? 'none';
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await open(file, 'r');
  try {
    for await (const chunk of fh.createReadStream()) h.update(chunk as Buffer);
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

function chunkAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const b = Buffer.alloc(headerHash.length + 5);
  headerHash.copy(b, 0);
  b.writeUInt32BE(index, headerHash.length);
  b[headerHash.length + 4] = last ? 1 : 0;
  return b;
}

function chunkNonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 8);
  n.writeUInt32BE(index, 8);
  return n;
}

function timestampName(d: Date): string {
  return `queuecrew-${d.toISOString().replace(/[:.]/g, '-')}${SUFFIX}`;
}

/** Seals `snapshotFile` into `outFile` (written to `.partial` first, renamed when complete and synced). */
async function sealSnapshot(snapshotFile: string, outFile: string, key: Buffer, kid: string, manifest: Manifest): Promise<void> {
  const noncePrefix = randomBytes(8);
  const header: Header = {
    format: 'queuecrew-backup',
    version: FORMAT_VERSION,
    cipher: 'aes-256-gcm',
    kid,
    chunkSize: CHUNK_SIZE,
    noncePrefix: noncePrefix.toString('base64'),
    manifest,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const headerHash = createHash('sha256').update(headerBytes).digest();
  const partial = `${outFile}.partial`;
  const out = await open(partial, 'w', 0o600);
  const input = await open(snapshotFile, 'r');
  try {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(headerBytes.length);
    await out.write(Buffer.concat([MAGIC, len, headerBytes]));
    const total = manifest.snapshotSize;
    const chunks = Math.max(1, Math.ceil(total / CHUNK_SIZE));
    const buf = Buffer.alloc(CHUNK_SIZE);
    for (let i = 0; i < chunks; i++) {
      const { bytesRead } = await input.read(buf, 0, CHUNK_SIZE, i * CHUNK_SIZE);
      const cipher = createCipheriv('aes-256-gcm', key, chunkNonce(noncePrefix, i));
      cipher.setAAD(chunkAad(headerHash, i, i === chunks - 1));
      const ct = Buffer.concat([cipher.update(buf.subarray(0, bytesRead)), cipher.final()]);
      const clen = Buffer.alloc(4);
      clen.writeUInt32BE(ct.length);
      await out.write(Buffer.concat([clen, ct, cipher.getAuthTag()]));
    }
    await out.sync();
  } finally {
    await input.close();
    await out.close();
  }
  renameSync(partial, outFile);
}

/** Reads and authenticates a backup, writing the snapshot to `outFile`. Throws BackupError on any doubt. */
export async function openBackup(file: string, config: Config, outFile: string): Promise<Manifest> {
  const key = backupKey(config);
  const data = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new BackupError(e.code === 'ENOENT' ? 'no_backup' : 'not_a_backup', `Cannot read the backup ${file}: ${e.message}`);
  });
  if (data.length < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupError('not_a_backup', `${file} is not a QueueCrew backup (wrong file, or its first bytes were changed).`);
  }
  const headerLen = data.readUInt32BE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  if (headerLen > 1024 * 1024 || headerStart + headerLen > data.length) {
    throw new BackupError('tampered', `${file} is damaged or was modified: its header is cut off. Use another backup.`);
  }
  const headerBytes = data.subarray(headerStart, headerStart + headerLen);
  let header: Header;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as Header;
  } catch {
    throw new BackupError('tampered', `${file} is damaged or was modified: its header is not readable. Use another backup.`);
  }
  if (header.format !== 'queuecrew-backup' || header.version !== FORMAT_VERSION || header.cipher !== 'aes-256-gcm') {
    throw new BackupError('not_a_backup', `${file} has an unknown backup format (version ${String(header.version)}).`);
  }
  if (header.kid !== keyId(config.backup.key)) {
    throw new BackupError(
      'wrong_key',
      `${file} was made with a different BACKUP_KEY (key id ${header.kid}, the configured key is ${keyId(config.backup.key)}). ` +
        'Set BACKUP_KEY to the key that was in use when the backup was made.',
    );
  }
  const headerHash = createHash('sha256').update(headerBytes).digest();
  const prefix = Buffer.from(header.noncePrefix, 'base64');
  const tampered = () =>
    new BackupError(
      'tampered',
      `${file} failed authentication: it was modified or damaged after it was written. Nothing was restored; use another backup.`,
    );
  const out = await open(outFile, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  try {
    let pos = headerStart + headerLen;
    let sawLast = false;
    for (let i = 0; !sawLast; i++) {
      if (pos + 4 > data.length) throw tampered();
      const ctLen = data.readUInt32BE(pos);
      pos += 4;
      if (ctLen > header.chunkSize || pos + ctLen + TAG_BYTES > data.length) throw tampered();
      const ct = data.subarray(pos, pos + ctLen);
      const tag = data.subarray(pos + ctLen, pos + ctLen + TAG_BYTES);
      pos += ctLen + TAG_BYTES;
      const last = pos === data.length;
      const decipher = createDecipheriv('aes-256-gcm', key, chunkNonce(prefix, i));
      decipher.setAAD(chunkAad(headerHash, i, last));
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(ct), decipher.final()]);
      } catch {
        throw tampered();
      }
      // Only authenticated bytes reach the output file.
      await out.write(plain);
      hash.update(plain);
      size += plain.length;
      sawLast = last;
    }
    await out.sync();
  } catch (e) {
    await out.close();
    await rm(outFile, { force: true });
    throw e;
  }
  await out.close();
  if (size !== header.manifest.snapshotSize || hash.digest('hex') !== header.manifest.snapshotSha256) {
    await rm(outFile, { force: true });
    throw tampered();
  }
  return header.manifest;
}

/** Backups in the backup directory, newest first, with their sidecar manifest when it is there. */
export function listBackups(config: Config): Array<{ file: string; info?: BackupInfo }> {
  const dir = config.backup.dir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .reverse()
    .map((f) => {
      const file = join(dir, f);
      const manifestFile = `${file}.manifest.json`;
      // A backup without its sidecar (crash between the two writes) is still listed and restorable:
      // restore reads the authenticated manifest inside the file.
      return existsSync(manifestFile) ? { file, info: JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupInfo } : { file };
    });
}

/** Deletes all but the `keep` newest backups (and their manifests). Returns the deleted files. */
export function pruneBackups(config: Config, keep = config.backup.keep): string[] {
  const removed: string[] = [];
  for (const b of listBackups(config).slice(keep)) {
    rmSync(b.file, { force: true });
    rmSync(`${b.file}.manifest.json`, { force: true });
    removed.push(b.file);
  }
  return removed;
}

/**
 * Takes a consistent snapshot of the live database and writes an encrypted backup + manifest to
 * BACKUP_DIR, then prunes to BACKUP_KEEP. Safe while the server is running and writing.
 */
export async function createBackup(config: Config, now = new Date()): Promise<BackupInfo> {
  const source = databaseFile(config);
  if (!existsSync(source)) throw new BackupError('no_backup', `There is no database at ${source} to back up yet.`);
  mkdirSync(config.backup.dir, { recursive: true, mode: 0o700 });
  const scratch = join(config.backup.dir, `.snapshot-${process.pid}-${Date.now()}.db`);
  const client = createClient({ url: `file:${source}`, encryptionKey: config.database.encryptionKey, timeout: 5000, intMode: 'number' });
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [scratch] });
  } finally {
    client.close();
  }
  try {
    // Count from the snapshot itself, so the manifest describes exactly what was saved.
    const snap = openSnapshot(scratch, config);
    let rowCounts: Record<string, number>;
    let version: string;
    try {
      rowCounts = await countRows(snap);
      version = await schemaVersion(snap);
    } finally {
      snap.close();
    }
    const manifest: Manifest = {
      format: 'queuecrew-backup',
      version: FORMAT_VERSION,
      createdAt: now.toISOString(),
      snapshotSize: (await stat(scratch)).size,
      snapshotSha256: await sha256File(scratch),
      schemaVersion: version,
      rowCounts,
    };
    const outFile = join(config.backup.dir, timestampName(now));
    await sealSnapshot(scratch, outFile, backupKey(config), keyId(config.backup.key), manifest);
    const info: BackupInfo = { ...manifest, file: outFile, size: (await stat(outFile)).size, sha256: await sha256File(outFile) };
    writeFileSync(`${outFile}.manifest.json`, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    pruneBackups(config);
    return info;
  } finally {
    rmSync(scratch, { force: true });
  }
}

export interface VerifyReport {
  file: string;
  manifest: Manifest;
  integrity: string;
  rowCounts: Record<string, number>;
  /** Tables whose row count differs from the manifest: table → [expected, actual]. */
  mismatches: Record<string, [number, number]>;
}

/** Opens a decrypted snapshot, runs `PRAGMA integrity_check` and compares row counts with the manifest. */
export async function verifySnapshot(file: string, config: Config, manifest: Manifest): Promise<VerifyReport> {
  const client = openSnapshot(file, config);
  try {
    let integrity: string;
    try {
      const r = await client.execute('PRAGMA integrity_check');
      integrity = r.rows.map((row) => String(Object.values(row)[0])).join('; ');
    } catch (e) {
      throw new BackupError(
        'verify_failed',
        `The restored database cannot be opened (${(e as Error).message}). Is DATABASE_ENCRYPTION_KEY the key in use when the backup was made?`,
      );
    }
    const rowCounts = await countRows(client);
    const mismatches: Record<string, [number, number]> = {};
    for (const table of new Set([...Object.keys(manifest.rowCounts), ...Object.keys(rowCounts)])) {
      const expected = manifest.rowCounts[table] ?? -1;
      const actual = rowCounts[table] ?? -1;
      if (expected !== actual) mismatches[table] = [expected, actual];
    }
    return { file, manifest, integrity, rowCounts, mismatches };
  } finally {
    client.close();
  }
}

function assertVerified(report: VerifyReport): void {
  if (report.integrity !== 'ok') {
    throw new BackupError('verify_failed', `The restored database failed PRAGMA integrity_check: ${report.integrity}`);
  }
  const bad = Object.entries(report.mismatches);
  if (bad.length > 0) {
    throw new BackupError(
      'verify_failed',
      `Row counts differ from the manifest: ${bad.map(([t, [e, a]]) => `${t} expected ${e}, found ${a}`).join('; ')}`,
    );
  }
}

/** The file a running server writes while it holds the database (see holdDatabase). */
export function pidFile(config: Config): string {
  return `${databaseFile(config)}.pid`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Marks the database as held by this process (restore refuses to swap it while held). Returns release. */
export function holdDatabase(config: Config): () => void {
  const file = localPath(config.database.url);
  if (!file) return () => undefined;
  const marker = `${resolve(file)}.pid`;
  writeFileSync(marker, String(process.pid), { mode: 0o600 });
  return () => {
    try {
      if (readFileSync(marker, 'utf8') === String(process.pid)) rmSync(marker, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  };
}

/** The pid of a live server holding the database, if any. */
export function databaseHolder(config: Config): number | undefined {
  const marker = pidFile(config);
  if (!existsSync(marker)) return undefined;
  const pid = Number(readFileSync(marker, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

export interface RestoreResult extends VerifyReport {
  /** Where the restored database now lives. */
  restoredTo: string;
  /** The previous database, moved aside (kept for the operator to delete). */
  previous?: string;
}

/**
 * Restores `file` over the configured database: authenticate + decrypt into a NEW file beside the
 * database, verify it (integrity + row counts), and only then swap it in with a rename. The old
 * database (and its -wal/-shm) is moved aside, never deleted. Refuses while a server holds the
 * database unless `force` (a running server would keep writing to the moved-aside file).
 */
export async function restoreBackup(file: string, config: Config, options: { force?: boolean } = {}): Promise<RestoreResult> {
  const target = databaseFile(config);
  const holder = databaseHolder(config);
  if (holder !== undefined && !options.force) {
    throw new BackupError(
      'in_use',
      `A QueueCrew server (pid ${holder}) is using ${target}. Stop it first, or pass --force if you are sure it is not running.`,
    );
  }
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const fresh = `${target}.restore-${stamp}.tmp`;
  const manifest = await openBackup(file, config, fresh);
  try {
    // An older schema is fine (the server migrates it at start); a newer one needs newer code first.
    if (!knownSchemaVersions().includes(manifest.schemaVersion)) {
      throw new BackupError(
        'unsupported',
        `The backup has schema ${manifest.schemaVersion}, which this version of QueueCrew does not know (newest: ${codeSchemaVersion()}). Upgrade QueueCrew, then restore.`,
      );
    }
    const report = await verifySnapshot(fresh, config, manifest);
    assertVerified(report);
    let previous: string | undefined;
    if (existsSync(target)) {
      previous = `${target}.pre-restore-${stamp}`;
      renameSync(target, previous);
    }
    // A stale WAL next to the new file would be replayed into it: move the old one aside too.
    for (const side of ['-wal', '-shm']) {
      if (existsSync(target + side)) renameSync(target + side, `${previous ?? `${target}.pre-restore-${stamp}`}${side}`);
    }
    renameSync(fresh, target);
    return { ...report, restoredTo: target, previous };
  } catch (e) {
    rmSync(fresh, { force: true });
    throw e;
  }
}

/** Restores the newest backup into a scratch file, verifies it and deletes it: the restore drill. */
export async function verifyLatestBackup(config: Config): Promise<VerifyReport> {
  const latest = listBackups(config)[0];
  if (!latest) throw new BackupError('no_backup', `There is no backup in ${config.backup.dir} to verify. Run npm run backup first.`);
  const scratchDir = join(tmpdir(), `qc-drill-${process.pid}-${Date.now()}`);
  mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  try {
    const scratch = join(scratchDir, basename(latest.file).replace(SUFFIX, '.db'));
    const manifest = await openBackup(latest.file, config, scratch);
    const report = await verifySnapshot(scratch, config, manifest);
    assertVerified(report);
    return { ...report, file: latest.file };
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
