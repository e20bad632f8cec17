/**
 * drizzle/0004_games_from_suggestions.sql against a database that has suggestions from before the
 * library: migrations 0000–0003 applied, rows written, then 0004 applied as the migrator would.
 */
import { createClient, type Client } from '@libsql/client';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryKey } from '@queuecrew/shared';

const DRIZZLE = join(import.meta.dirname, '../../../drizzle');
let dir: string;
let db: Client;

async function apply(file: string) {
  for (const statement of readFileSync(join(DRIZZLE, file), 'utf8').split('--> statement-breakpoint')) {
    if (statement.trim()) await db.execute(statement);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qc-mig-'));
  db = createClient({ url: `file:${join(dir, 'm.db')}` });
  for (const f of ['0000_init.sql', '0001_audit_log_append_only.sql', '0002_game_nights.sql', '0003_username_ci.sql']) await apply(f);
  await db.execute(`INSERT INTO users (id, username) VALUES ('u1', 'ann'), ('u2', 'ben')`);
  await db.execute(`INSERT INTO groups (id, name, timezone) VALUES ('g1', 'One', 'UTC'), ('g2', 'Two', 'UTC')`);
  const rows: Array<[string, string, string, string, string, number]> = [
    ['s1', 'g1', '2026-01-01', 'Deep Rock Galactic', 'u1', 1],
    ['s2', 'g1', '2026-01-02', 'deep-rock: galactic!', 'u2', 2],
    ['s3', 'g1', '2026-01-03', 'DeepRockGalactic', 'u2', 3],
    ['s4', 'g1', '2026-01-01', 'Rocket League', 'u2', 4],
    ['s5', 'g2', '2026-01-01', 'Deep Rock Galactic', 'u2', 5],
    ['s6', 'g1', '2026-01-04', '!!!', 'u1', 6],
  ];
  for (const [id, g, day, name, by, at] of rows) {
    await db.execute({
      sql: `INSERT INTO suggestions (id, group_id, day, game_name, game_key, suggested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      args: [id, g, day, name, name.toLowerCase(), by, at],
    });
  }
  await apply('0004_games_from_suggestions.sql');
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('0004_games_from_suggestions', () => {
  it('creates one game per (group, key), named and attributed after the earliest suggestion', async () => {
    const games = (await db.execute(`SELECT group_id, name, added_by FROM games ORDER BY group_id, name`)).rows.map((r) => [
      r.group_id,
      r.name,
      r.added_by,
    ]);
    expect(games).toEqual([
      ['g1', '!!!', 'u1'],
      ['g1', 'Deep Rock Galactic', 'u1'],
      ['g1', 'Rocket League', 'u2'],
      ['g2', 'Deep Rock Galactic', 'u2'],
    ]);
  });

  it('gives each game its name key, equal to libraryKey() for these names', async () => {
    const keys = (await db.execute(`SELECT k.key, g.name FROM game_keys k JOIN games g ON g.id = k.game_id WHERE k.group_id = 'g1'`)).rows;
    for (const k of keys) expect(k.key).toBe(libraryKey(String(k.name)));
  });

  it('links every suggestion to its game', async () => {
    const rows = (
      await db.execute(`SELECT s.id, g.name, g.group_id FROM suggestions s LEFT JOIN games g ON g.id = s.game_id ORDER BY s.id`)
    ).rows.map((r) => [r.id, r.name, r.group_id]);
    expect(rows).toEqual([
      ['s1', 'Deep Rock Galactic', 'g1'],
      ['s2', 'Deep Rock Galactic', 'g1'],
      ['s3', 'Deep Rock Galactic', 'g1'],
      ['s4', 'Rocket League', 'g1'],
      ['s5', 'Deep Rock Galactic', 'g2'],
      ['s6', '!!!', 'g1'],
    ]);
  });
});
