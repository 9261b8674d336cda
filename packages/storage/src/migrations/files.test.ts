import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderClickHouseSql } from './clickhouse-migrator.ts';
import { MIGRATIONS_DIR, readMigrations, splitStatements } from './files.ts';

async function dirWith(files: Record<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-mig-'));
  for (const [name, sql] of Object.entries(files)) await fs.writeFile(path.join(dir, name), sql);
  return dir;
}

describe('migration files', () => {
  it('reads numbered files in order with checksums', async () => {
    const dir = await dirWith({ '0002_b.sql': 'SELECT 2;', '0001_a.sql': 'SELECT 1;' });
    const migrations = await readMigrations(dir);
    expect(migrations.map((m) => [m.version, m.name])).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    expect(migrations[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a gap in the numbering and a badly named file', async () => {
    await expect(readMigrations(await dirWith({ '0001_a.sql': '', '0003_c.sql': '' }))).rejects.toThrow(
      /expected number 0002/,
    );
    await expect(readMigrations(await dirWith({ '1_a.sql': '' }))).rejects.toThrow(/NNNN_lower_snake_name/);
  });

  it('splits statements at line-ending semicolons only', () => {
    expect(splitStatements("CREATE TABLE a (s String DEFAULT ';');\n-- note\nSELECT 1;\n")).toEqual([
      "CREATE TABLE a (s String DEFAULT ';')",
      'SELECT 1',
    ]);
  });

  it('renders cluster DDL with ON CLUSTER and Replicated engines only when a cluster is set', async () => {
    const sql =
      'CREATE TABLE t {{on_cluster}} (a UInt8) ENGINE = {{replicated}}VersionedCollapsingMergeTree(sign, version)';
    expect(renderClickHouseSql(sql, undefined)).toBe(
      'CREATE TABLE t  (a UInt8) ENGINE = VersionedCollapsingMergeTree(sign, version)',
    );
    expect(renderClickHouseSql(sql, 'spur')).toBe(
      "CREATE TABLE t ON CLUSTER 'spur' (a UInt8) ENGINE = ReplicatedVersionedCollapsingMergeTree(sign, version)",
    );
    for (const migration of await readMigrations(MIGRATIONS_DIR.clickhouse)) {
      const rendered = renderClickHouseSql(migration.sql, 'spur');
      expect(rendered).not.toMatch(/\{\{/);
      for (const statement of splitStatements(rendered).filter((s) => s.startsWith('CREATE TABLE'))) {
        expect(statement).toContain("ON CLUSTER 'spur'");
        expect(statement).toMatch(/ENGINE = Replicated\w*MergeTree/);
      }
    }
  });
});
