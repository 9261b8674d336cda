export { createIngestPipeline, type IngestOutcome, type IngestDeps } from './pipeline/pipeline.ts';
export type { IngestBatch, BatchOutcome } from './pipeline/ingest-batch.ts';
export type { IngestInput, IngestAuth, DropReason } from './contract/ingest-context.ts';
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
export { parsePayload } from './contract/fast-payload.ts';
export { INGEST_STREAM, FLUSH_GROUP, appendRows } from './stream/stream.ts';
export { createFlusher, type Flusher } from './flusher/flusher.ts';
export { openGeo, type GeoLookup } from './enrich/index.ts';
export { requestRow } from './rows/rows.ts';
export { createSessionStore } from './session/session-store.ts';
export { createHitAppender } from './session/hit-appender.ts';
export { createSessionizer, type Sessionizer } from './session/sessionizer.ts';
export { visitorId, utcDay } from './visitor/salt.ts';
export {
  ingestBacklog,
  partitionOf,
  rawStreamKey,
  visitorPartition,
  RAW_PARTITIONS,
  RAW_STREAMS,
} from './session/raw-stream.ts';
export { formatTime, sourceKey } from './contract/ingest-context.ts';
export { insertBatch } from './flusher/insert-batch.ts';
export { rowsOf, type Entry, type StreamEntry } from './flusher/stream-rows.ts';
export { hitMembers, type HitMembers } from './rows/hit-members.ts';
// What the demo traffic generator (packages/demo) runs: the enrichment steps live traffic runs.
export { emptyDimensions, type IngestContext } from './contract/ingest-context.ts';
export { languageStep } from './pipeline/steps/language.step.ts';
export { screenStep } from './pipeline/steps/screen.step.ts';
export { sourceStep } from './pipeline/steps/source.step.ts';
export { userAgentStep } from './pipeline/steps/user-agent.step.ts';
