export { createIngestPipeline, type IngestOutcome, type IngestDeps } from './pipeline/pipeline.ts';
export type { IngestInput, IngestAuth, DropReason } from './pipeline/context.ts';
export { createSiteDirectory, type SiteDirectory, type IngestSite } from './sites/site-directory.ts';
export { schemas, batchSchemas, describeIssue, MAX_BATCH, type IngestKind } from './contract/payload.schema.ts';
export { INGEST_STREAM, FLUSH_GROUP, appendRows } from './stream/stream.ts';
export { createFlusher, type Flusher } from './flusher/flusher.ts';
export { openGeo, type GeoLookup } from './enrich/index.ts';
export { pageViewRow, eventRow, sessionTemplate, requestRow } from './rows/rows.ts';
export { createSessionStore, formatTime } from './session/session-store.ts';
