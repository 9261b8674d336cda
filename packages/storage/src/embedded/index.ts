export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';
export { startEmbeddedRedis, findOnPath, REDIS_MISSING_MESSAGE, type EmbeddedRedis } from './embedded-redis.ts';
export { isLiveProcess } from './child-server.ts';
export { startLocalS3, type LocalS3 } from './local-s3.ts';
export { startLocalSesServer, type LocalSesServer } from './local-ses.ts';
