import { describe, expect, it } from 'vitest';
import { renderClickHouseSql } from './clickhouse-shape.ts';
import { MIGRATIONS_DIR, readMigrations, splitStatements } from './files.ts';

/** Every statement of every ClickHouse migration, rendered for one shape. */
async function rendered(cluster: string | undefined, sharded = false): Promise<string[]> {
  const statements: string[] = [];
  for (const migration of await readMigrations(MIGRATIONS_DIR.clickhouse))
    statements.push(...splitStatements(renderClickHouseSql(migration.sql, cluster, sharded)));
  return statements;
}
const creates = (statements: string[]) =>
  statements.filter((s) => s.startsWith('CREATE TABLE')).map((s) => /^CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)![1]);

describe('ClickHouse DDL shapes (no server can run here: the generated DDL is what is tested)', () => {
  it('when CLICKHOUSE_CLUSTER is set, then every table is created ON CLUSTER with a Replicated engine that keeps 10,000 deduplication tokens for 7 days in Keeper', async () => {
    const statements = await rendered('spur');
    expect(creates(statements)).toEqual(['page_view', 'session', 'event', 'request']);
    for (const statement of statements.filter((s) => s.startsWith('CREATE TABLE'))) {
      expect(statement).toContain("ON CLUSTER 'spur'");
      expect(statement).toMatch(/\nENGINE = Replicated(VersionedCollapsing)?MergeTree\b/);
      expect(statement).toMatch(
        /SETTINGS replicated_deduplication_window = 10000, replicated_deduplication_window_seconds = 604800$/,
      );
      expect(statement).not.toContain('non_replicated');
      expect(statement).not.toContain('Distributed');
    }
  });

  it('when sharded, then each table is a Replicated <name>_local per shard behind a Distributed <name> keyed by visitor_id', async () => {
    const statements = await rendered('spur', true);
    expect(creates(statements)).toEqual([
      'page_view_local',
      'page_view',
      'session_local',
      'session',
      'event_local',
      'event',
      'request_local',
      'request',
    ]);
    const distributed = statements.filter((s) => s.includes('ENGINE = Distributed'));
    expect(distributed).toEqual([
      "CREATE TABLE IF NOT EXISTS page_view ON CLUSTER 'spur' AS page_view_local\nENGINE = Distributed('spur', currentDatabase(), page_view_local, visitor_id)",
      "CREATE TABLE IF NOT EXISTS session ON CLUSTER 'spur' AS session_local\nENGINE = Distributed('spur', currentDatabase(), session_local, visitor_id)",
      "CREATE TABLE IF NOT EXISTS event ON CLUSTER 'spur' AS event_local\nENGINE = Distributed('spur', currentDatabase(), event_local, visitor_id)",
      // The bot log has no visitor: spread at random.
      "CREATE TABLE IF NOT EXISTS request ON CLUSTER 'spur' AS request_local\nENGINE = Distributed('spur', currentDatabase(), request_local, rand())",
    ]);
    for (const local of statements.filter((s) => /^CREATE TABLE IF NOT EXISTS \w+_local /.test(s))) {
      expect(local).toMatch(/\nENGINE = Replicated(VersionedCollapsing)?MergeTree\b/);
      expect(local).toContain('replicated_deduplication_window = 10000');
    }
  });

  it('when one server, then the DDL is the plain file: no cluster, no Replicated, no Distributed, no _local', async () => {
    const statements = await rendered(undefined, true);
    expect(creates(statements)).toEqual(['page_view', 'session', 'event', 'request']);
    expect(statements.join('\n')).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local|\{\{/);
    expect(statements.filter((s) => s.includes('SETTINGS non_replicated_deduplication_window = 10000'))).toHaveLength(
      4,
    );
  });

  it('when 0002 adds the by-path projection and 0004 replaces it, then they reach page_view, ON CLUSTER when replicated and the shard-local table when sharded', async () => {
    const projection = async (cluster: string | undefined, sharded = false) =>
      (await rendered(cluster, sharded)).filter((s) => s.includes('PROJECTION')).map((s) => s.split(' (')[0]);
    const statements = (table: string, on: string) => [
      `ALTER TABLE ${table} ${on} ADD PROJECTION IF NOT EXISTS by_path`,
      `ALTER TABLE ${table} ${on} MATERIALIZE PROJECTION by_path`,
      `ALTER TABLE ${table} ${on} ADD PROJECTION IF NOT EXISTS pages_by_path`,
      `ALTER TABLE ${table} ${on} MATERIALIZE PROJECTION pages_by_path`,
      `ALTER TABLE ${table} ${on} DROP PROJECTION IF EXISTS by_path`,
    ];
    expect(await projection(undefined)).toEqual(statements('page_view', ''));
    expect(await projection('spur')).toEqual(statements('page_view', "ON CLUSTER 'spur'"));
    // A Distributed table has no parts: the projection belongs to each shard's table.
    expect(await projection('spur', true)).toEqual(statements('page_view_local', "ON CLUSTER 'spur'"));
  });

  it('when 0004 adds first_in_visit, then both the shard-local tables and the Distributed table get it when sharded', async () => {
    const added = async (cluster: string | undefined, sharded = false) =>
      (await rendered(cluster, sharded))
        .filter((s) => s.includes('ADD COLUMN IF NOT EXISTS first_in_visit'))
        .map((s) => s.split(' ADD')[0]);
    expect(await added(undefined)).toEqual(['ALTER TABLE page_view ', 'ALTER TABLE page_view ']);
    expect(await added('spur', true)).toEqual([
      "ALTER TABLE page_view_local ON CLUSTER 'spur'",
      "ALTER TABLE page_view ON CLUSTER 'spur'",
    ]);
  });

  it('when 0003 widens the session counters, then the shard-local tables and the Distributed table both change when sharded', async () => {
    const widen = async (cluster: string | undefined, sharded = false) =>
      (await rendered(cluster, sharded)).filter((s) => s.includes('MODIFY COLUMN page_views UInt32'));
    const tail = 'MODIFY COLUMN page_views UInt32, MODIFY COLUMN events UInt32';
    expect(await widen(undefined)).toEqual([`ALTER TABLE session  ${tail}`, `ALTER TABLE session  ${tail}`]);
    expect(await widen('spur')).toEqual([
      `ALTER TABLE session ON CLUSTER 'spur' ${tail}`,
      `ALTER TABLE session ON CLUSTER 'spur' ${tail}`,
    ]);
    // The parts are the shards'; the Distributed table's definition must say the same type.
    expect(await widen('spur', true)).toEqual([
      `ALTER TABLE session_local ON CLUSTER 'spur' ${tail}`,
      `ALTER TABLE session ON CLUSTER 'spur' ${tail}`,
    ]);
  });

  it('when a later migration names table{{local}}, then it reaches the shard-local table only when sharded', () => {
    const sql = 'ALTER TABLE page_view{{local}} {{on_cluster}} ADD INDEX path_idx path TYPE bloom_filter GRANULARITY 4';
    expect([
      renderClickHouseSql(sql, undefined),
      renderClickHouseSql(sql, 'spur'),
      renderClickHouseSql(sql, 'spur', true),
    ]).toEqual([
      'ALTER TABLE page_view  ADD INDEX path_idx path TYPE bloom_filter GRANULARITY 4',
      "ALTER TABLE page_view ON CLUSTER 'spur' ADD INDEX path_idx path TYPE bloom_filter GRANULARITY 4",
      "ALTER TABLE page_view_local ON CLUSTER 'spur' ADD INDEX path_idx path TYPE bloom_filter GRANULARITY 4",
    ]);
  });
});
