export { openStores, type Stores, type StoreHealth, type StoreName } from './stores.ts';
export { openPostgres, type Postgres } from './postgres.ts';
export { openClickHouse, type ClickHouse, type ClickHouseClient } from './clickhouse.ts';
export { openRedis, openAcknowledgedWriter, redisTarget, type Redis, type RedisTarget } from './redis.ts';
export { migrate } from './migrations/migrate.ts';
export { migratePostgres } from './migrations/postgres-migrator.ts';
export { migrateClickHouse, renderClickHouseSql } from './migrations/clickhouse-migrator.ts';
export { readMigrations, splitStatements, MIGRATIONS_DIR } from './migrations/files.ts';
export { openObjectStore, type ObjectStore, type ObjectSummary, type StoredObject, type S3Config } from './s3.ts';
export { isPostgresUnavailable } from './postgres-unavailable.ts';
export { withTransaction } from './transaction.ts';
export {
  setUserAvatar,
  setOrganizationLogo,
  imageOf,
  readImage,
  imageType,
  ImageRejected,
  MAX_IMAGE_BYTES,
} from './images/image-upload.ts';
