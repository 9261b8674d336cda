import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestStores, type TestStores } from '@spur/testkit';
import { MIGRATIONS_DIR, migrateClickHouse, migratePostgres, openPostgres, readMigrations } from '@spur/storage';

let t: TestStores;
beforeAll(async () => {
  t = await startTestStores({ migrate: false });
});
afterAll(() => t?.close());

async function dirWith(files: Record<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'spur-mig-'));
  for (const [name, sql] of Object.entries(files)) await fs.writeFile(path.join(dir, name), sql);
  return dir;
}

describe('Postgres migrations', () => {
  it('when three runners start together, then each migration is applied exactly once', async () => {
    const url = await createTestDatabase();
    // Each migration records that it ran; a second application would add a row (or fail on CREATE).
    const dir = await dirWith({
      '0001_counter.sql': 'CREATE TABLE applied (migration int NOT NULL); INSERT INTO applied VALUES (1);',
      '0002_more.sql': 'SELECT pg_sleep(0.2); INSERT INTO applied VALUES (2);',
      '0003_last.sql': 'INSERT INTO applied VALUES (3);',
    });
    const replicas = [openPostgres(url), openPostgres(url), openPostgres(url)];
    const results = await Promise.all(replicas.map((r) => migratePostgres(r.pool, t.log, dir)));

    expect(results.flat().sort()).toEqual([1, 2, 3]);
    const applied = await replicas[0]!.pool.query('SELECT migration FROM applied ORDER BY migration');
    expect(applied.rows.map((r) => r.migration)).toEqual([1, 2, 3]);
    const recorded = await replicas[0]!.pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(recorded.rows).toEqual([
      { version: 1, name: 'counter' },
      { version: 2, name: 'more' },
      { version: 3, name: 'last' },
    ]);
    expect(await migratePostgres(replicas[1]!.pool, t.log, dir)).toEqual([]);
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('when a migration fails, then it is rolled back and not recorded', async () => {
    const url = await createTestDatabase();
    const db = openPostgres(url);
    const dir = await dirWith({
      '0001_ok.sql': 'CREATE TABLE a (x int);',
      '0002_bad.sql': 'CREATE TABLE b (x int); SELECT nope;',
    });
    await expect(migratePostgres(db.pool, t.log, dir)).rejects.toThrow(/0002 ?_?bad|2_bad/);
    const tables = await db.pool.query("SELECT tablename FROM pg_tables WHERE tablename IN ('a','b') ORDER BY 1");
    expect(tables.rows.map((r) => r.tablename)).toEqual(['a']);
    const recorded = await db.pool.query('SELECT version FROM schema_migrations');
    expect(recorded.rows).toEqual([{ version: 1 }]);
    await db.close();
  });

  it('when an applied file is edited, then the runner refuses to continue', async () => {
    const url = await createTestDatabase();
    const db = openPostgres(url);
    const dir = await dirWith({ '0001_a.sql': 'CREATE TABLE a (x int);' });
    await migratePostgres(db.pool, t.log, dir);
    await fs.writeFile(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x bigint);');
    await expect(migratePostgres(db.pool, t.log, dir)).rejects.toThrow(/changed after it was applied/);
    await db.close();
  });
});

describe('ClickHouse migrations', () => {
  it('when three runners start together, then each migration is applied exactly once', async () => {
    const dir = await dirWith({
      '0001_counter.sql':
        'CREATE TABLE IF NOT EXISTS applied {{on_cluster}} (migration UInt8) ENGINE = {{replicated}}MergeTree ORDER BY migration;\nINSERT INTO applied VALUES (1);',
      '0002_more.sql': 'INSERT INTO applied VALUES (2);',
    });
    const replicas = [openPostgres(t.postgresUrl), openPostgres(t.postgresUrl), openPostgres(t.postgresUrl)];
    const results = await Promise.all(replicas.map((r) => migrateClickHouse(t.stores.clickhouse, r.pool, t.log, dir)));

    expect(results.flat().sort()).toEqual([1, 2]);
    const rows = await (
      await t.stores.clickhouse.client.query({
        query: 'SELECT migration FROM applied ORDER BY migration',
        format: 'JSONEachRow',
      })
    ).json<{ migration: number }>();
    expect(rows.map((r) => r.migration)).toEqual([1, 2]);
    await Promise.all(replicas.map((r) => r.close()));
  });

  it("applies Spur's own migrations and creates every statistics table", async () => {
    const pg = await migratePostgres(t.stores.postgres.pool, t.log);
    const files = await readMigrations(MIGRATIONS_DIR.postgres);
    expect(pg).toEqual(files.map((m) => m.version));
    expect(pg[0]).toBe(1);
    // The ClickHouse records table already exists from the test above; Spur's files use a fresh database.
    await t.stores.clickhouse.client.command({ query: 'DROP TABLE schema_migrations' });
    const ch = await migrateClickHouse(t.stores.clickhouse, t.stores.postgres.pool, t.log);
    expect(ch).toEqual((await readMigrations(MIGRATIONS_DIR.clickhouse)).map((m) => m.version));
    const tables = await (
      await t.stores.clickhouse.client.query({
        query: 'SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name',
        format: 'JSONEachRow',
      })
    ).json<{ name: string; engine: string }>();
    expect(Object.fromEntries(tables.map((r) => [r.name, r.engine]))).toMatchObject({
      event: 'MergeTree',
      page_view: 'MergeTree',
      request: 'MergeTree',
      session: 'VersionedCollapsingMergeTree',
    });
    // 0002, replaced by 0004 (which adds first_in_visit to it): the page list's copy of page views
    // sorted by path, written with every insert.
    const projections = await (
      await t.stores.clickhouse.client.query({
        query: 'SELECT table, name, sorting_key FROM system.projections WHERE database = currentDatabase()',
        format: 'JSONEachRow',
      })
    ).json();
    expect(projections).toEqual([
      {
        table: 'page_view',
        name: 'pages_by_path',
        sorting_key: ['site_id', 'path', 'toDate(time)', 'visitor_id', 'session_id'],
      },
    ]);
    const [flag] = await (
      await t.stores.clickhouse.client.query({
        query:
          "SELECT type, default_expression FROM system.columns WHERE database = currentDatabase() AND table = 'page_view' AND name = 'first_in_visit'",
        format: 'JSONEachRow',
      })
    ).json();
    expect(flag).toEqual({ type: 'UInt8', default_expression: '2' });
  });

  it('when page views were stored before 0002, then the backfills of 0002 and 0004 write every one of them into the projection, flagged as not known', async () => {
    const ch = t.stores.clickhouse.client;
    const json = async <T>(query: string) => (await ch.query({ query, format: 'JSONEachRow' })).json<T>();
    // A database as 0001 left it, with page views in two monthly partitions.
    await ch.command({ query: 'DROP TABLE schema_migrations' });
    await ch.command({ query: 'DROP TABLE page_view' });
    const [first] = await readMigrations(MIGRATIONS_DIR.clickhouse);
    const only0001 = await dirWith({ [`0001_${first!.name}.sql`]: first!.sql });
    expect(await migrateClickHouse(t.stores.clickhouse, t.stores.postgres.pool, t.log, only0001)).toEqual([1]);
    await ch.command({
      query: `INSERT INTO page_view (site_id, visitor_id, session_id, time, path, title)
        SELECT 7, number % 300, number % 900, toDateTime64('2026-10-20 00:00:00', 3, 'UTC') + toIntervalHour(number % 600),
               concat('/p/', toString(number % 40)), 'T' FROM numbers(3000)`,
    });
    expect(await json("SELECT count() AS n FROM system.projection_parts WHERE table = 'page_view' AND active")).toEqual(
      [{ n: '0' }],
    );

    expect(await migrateClickHouse(t.stores.clickhouse, t.stores.postgres.pool, t.log)).toEqual([2, 3, 4]);
    // MATERIALIZE PROJECTION is a mutation running in the background.
    for (let i = 0; ; i++) {
      const [pending] = await json<{ n: string }>(
        "SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND table = 'page_view' AND NOT is_done",
      );
      if (pending!.n === '0') break;
      if (i > 200) throw new Error('the backfill did not finish in 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(
      await json(
        "SELECT name, sum(rows) AS n FROM system.projection_parts WHERE table = 'page_view' AND active GROUP BY name",
      ),
    ).toEqual([{ name: 'pages_by_path', n: '3000' }]);
    // The projection holds exactly the table's rows (what a query by path then reads).
    const rows = (from: string) =>
      json(
        `SELECT path, time, visitor_id, session_id, title, first_in_visit FROM ${from} WHERE site_id = 7 ORDER BY ALL`,
      );
    const table = await rows('page_view');
    expect(table).toHaveLength(3000);
    expect(new Set(table.map((r) => (r as { first_in_visit: number }).first_in_visit))).toEqual(new Set([2]));
    expect(await rows(`mergeTreeProjection(${t.stores.clickhouse.database}, page_view, pages_by_path)`)).toEqual(table);
    const counts = await json<{ visitors: string }>(
      "SELECT uniqExact(visitor_id) AS visitors FROM page_view WHERE site_id = 7 AND path = '/p/3'",
    );
    expect(counts).toEqual([{ visitors: '15' }]);
  });

  it('when a visit had more page views than a UInt16 holds, then after 0003 the session table counts them all', async () => {
    const ch = t.stores.clickhouse.client;
    const json = async <T>(query: string) => (await ch.query({ query, format: 'JSONEachRow' })).json<T>();
    const columns = () =>
      json(
        "SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = 'session' AND name IN ('page_views', 'events') ORDER BY name",
      );
    // The session table as 0001 created it, holding a visit, and 0003 not yet applied.
    await ch.command({
      query: 'ALTER TABLE session MODIFY COLUMN page_views UInt16, MODIFY COLUMN events UInt16',
      clickhouse_settings: { mutations_sync: '2' },
    });
    await ch.command({ query: 'DELETE FROM schema_migrations WHERE version = 3' });
    const visit = (n: number, pageViews: number, events: number) =>
      `{"sign":1,"version":1,"site_id":"7","visitor_id":"${n}","session_id":${n},"start":"2026-10-20 10:00:00.000","time":"2026-10-21 10:00:00.000","page_views":${pageViews},"events":${events}}`;
    const insert = (rows: string) => ch.command({ query: `INSERT INTO session FORMAT JSONEachRow ${rows}` });
    await insert(visit(1, 1_000, 3));
    // What 0003 mends: a UInt16 keeps 86,400 page views as 20,864, silently.
    await insert(visit(2, 86_400, 70_000));
    expect(await json('SELECT page_views, events FROM session WHERE site_id = 7 ORDER BY session_id')).toEqual([
      { page_views: 1000, events: 3 },
      { page_views: 20864, events: 4464 },
    ]);
    await ch.command({ query: 'DELETE FROM session WHERE site_id = 7 AND session_id = 2' });

    expect(await migrateClickHouse(t.stores.clickhouse, t.stores.postgres.pool, t.log)).toEqual([3]);
    expect(await columns()).toEqual([
      { name: 'events', type: 'UInt32' },
      { name: 'page_views', type: 'UInt32' },
    ]);
    // A kiosk page reloading every second for the 24 hours a visit may last, and the visit stored before.
    await insert(visit(3, 86_400, 70_000));
    expect(await json('SELECT page_views, events FROM session WHERE site_id = 7 ORDER BY session_id')).toEqual([
      { page_views: 1000, events: 3 },
      { page_views: 86400, events: 70000 },
    ]);
  });
});

describe('stores', () => {
  it('reports every store healthy', async () => {
    expect(await t.stores.check()).toEqual({
      ok: true,
      stores: { postgres: { ok: true }, clickhouse: { ok: true }, redis: { ok: true } },
    });
  });
});
