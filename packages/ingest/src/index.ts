export { createIngestPipeline, type IngestOutcome, type IngestDeps } from './pipeline/pipeline.ts';
export type { IngestInput, IngestAuth, DropReason } from './pipeline/context.ts';
export { createSiteDirectory, type SiteDirectory, type IngestSite } from './sites/site-directory.ts';
export {
  schemas,
  batchSchemas,
  getHitQuerySchema,
  hitFromQuery,
  describeIssue,
  MAX_BATCH,
  type IngestKind,
} from './contract/payload.schema.ts';
export { INGEST_STREAM, FLUSH_GROUP, appendRows } from './stream/stream.ts';
export { createFlusher, type Flusher } from './flusher/flusher.ts';
export { openGeo, type GeoLookup } from './enrich/index.ts';
export { requestRow } from './rows/rows.ts';
export { createSessionStore, formatTime, sourceKey } from './session/session-store.ts';
export { insertBatch } from './flusher/insert-batch.ts';
export { rowsOf, type Entry, type StreamEntry } from './flusher/stream-rows.ts';
export { hitMembers, type HitMembers } from './rows/hit-members.ts';
export { seedDemoTraffic, type SeedResult } from './seed/demo-traffic.ts';
export { DEMO_SITES, type DemoSiteProfile } from './seed/demo-profiles.ts';
