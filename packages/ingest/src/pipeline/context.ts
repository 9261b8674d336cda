import type { DropReason, IngestContext } from '../contract/ingest-context.ts';

// The hit's shape is the contract's (shared with the session store and the row builders); the
// steps import it from here with the step types.
export type { DropReason, Dimensions, IngestAuth, IngestContext, IngestInput } from '../contract/ingest-context.ts';
export { emptyDimensions } from '../contract/ingest-context.ts';

/** A step either enriches the context or drops the request with a reason. */
export type StepResult = void | { drop: DropReason };
export type Step = { name: string; run: (ctx: IngestContext) => StepResult | Promise<StepResult> };
