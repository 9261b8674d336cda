/**
 * The three shapes Spur's ClickHouse DDL renders to (deploy/README.md "ClickHouse: from one VM to a
 * cluster"):
 *   one server      — CLICKHOUSE_CLUSTER unset: plain MergeTree engines;
 *   replicated      — CLICKHOUSE_CLUSTER set: `ON CLUSTER`, Replicated engines (Keeper on three
 *                     nodes, two replicas of one shard), insert deduplication kept in Keeper;
 *   sharded         — CLICKHOUSE_SHARDED=true as well: each table becomes `<name>_local`
 *                     (Replicated, one per shard) plus `<name>` as a Distributed table over them, so
 *                     every query, insert and the flusher keep using the names they know.
 *
 * Migration files are written for one server and say where cluster DDL differs:
 *   `{{on_cluster}}` → `ON CLUSTER '<cluster>'` (or nothing)
 *   `{{replicated}}` → `Replicated` before a MergeTree engine name (or nothing); replicated
 *                      engines take their Keeper path from the server's default_replica_path macros
 *   `{{local}}`      → `_local` when sharded (or nothing): an ALTER that must reach the data
 *                      (indexes, projections, mutations) names `page_view{{local}}`.
 */
export type ClickHouseShape = { cluster: string | undefined; sharded?: boolean };

/**
 * Deduplication across replicas: a Replicated table keeps the insert_deduplication_token of recent
 * inserts in Keeper, per partition and shared by the replicas of a shard, so a flusher retrying a
 * batch against the other replica is still recognised. By default only the last 100 inserts (and 1 h)
 * are remembered; a batch retried after a long ClickHouse outage must still be, as with the
 * non-replicated window of 10,000 the single server has.
 */
const REPLICATED_DEDUPLICATION =
  'replicated_deduplication_window = 10000, replicated_deduplication_window_seconds = 604800';

export function renderClickHouseSql(sql: string, cluster: string | undefined, sharded = false): string {
  const rendered = sql
    .replaceAll('{{on_cluster}}', cluster ? `ON CLUSTER '${cluster}'` : '')
    .replaceAll('{{replicated}}', cluster ? 'Replicated' : '')
    .replaceAll('{{local}}', cluster && sharded ? '_local' : '')
    .replaceAll('non_replicated_deduplication_window = 10000', cluster ? REPLICATED_DEDUPLICATION : '$&');
  return cluster && sharded ? shard(rendered, cluster) : rendered;
}

const CREATE_TABLE =
  /CREATE TABLE IF NOT EXISTS (\w+) (ON CLUSTER '\w+') \(([\s\S]*?)\n\)\s*\nENGINE = Replicated[\s\S]*?;/g;

/**
 * Every `CREATE TABLE` of a MergeTree table becomes the shard-local table and a Distributed table
 * of the original name. Rows are spread by visitor_id: one visitor's page views, events and both
 * rows of each session version (cancel and state, which must meet to collapse) land on one shard,
 * and the same rows always land on the same shard, which keeps a retried batch's per-shard blocks,
 * and so their deduplication, identical. Tables without visitor_id spread at random.
 */
function shard(sql: string, cluster: string): string {
  return sql.replace(CREATE_TABLE, (statement, name: string, onCluster: string, columns: string) => {
    const key = /^\s*visitor_id\s/m.test(columns) ? 'visitor_id' : 'rand()';
    const local = statement.replace(`CREATE TABLE IF NOT EXISTS ${name} `, `CREATE TABLE IF NOT EXISTS ${name}_local `);
    return (
      `${local}\n\n` +
      `CREATE TABLE IF NOT EXISTS ${name} ${onCluster} AS ${name}_local\n` +
      `ENGINE = Distributed('${cluster}', currentDatabase(), ${name}_local, ${key});`
    );
  });
}
