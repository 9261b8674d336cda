import { Counter, Histogram, type Registry } from 'prom-client';
import type { Redis } from 'ioredis';
import type { Logger } from '@spur/runtime';
import type { EventPayload, HitPayload } from '../contract/payload.schema.ts';
import type { GeoLookup } from '../enrich/index.ts';
import { hitMembers } from '../rows/hit-members.ts';
import { requestRow } from '../rows/rows.ts';
import { formatTime } from '../contract/ingest-context.ts';
import { createHitAppender } from '../session/hit-appender.ts';
import { ingestBacklog } from '../session/raw-stream.ts';
import type { SiteDirectory } from '../sites/site-directory.ts';
import { appendRows, createBacklogGauge } from '../stream/stream.ts';
import { createSaltStore } from '../visitor/salt.ts';
import { emptyDimensions, type DropReason, type IngestContext, type IngestInput, type Step } from './context.ts';
import { batchIngest } from './ingest-batch.ts';
import { resolveSite } from './resolve-site.ts';
import { botStep } from './steps/bot.step.ts';
import { filtersStep } from './steps/filters.step.ts';
import { geoStep } from './steps/geo.step.ts';
import { hostnameStep } from './steps/hostname.step.ts';
import { languageStep } from './steps/language.step.ts';
import { requestStep } from './steps/request.step.ts';
import { screenStep } from './steps/screen.step.ts';
import { sourceStep } from './steps/source.step.ts';
import { userAgentStep } from './steps/user-agent.step.ts';
import { visitorStep } from './steps/visitor.step.ts';

export type IngestOutcome =
  | { status: 'accepted' }
  | { status: 'dropped'; reason: DropReason }
  | { status: 'rejected'; httpStatus: 404 | 503; error: string; field?: string };

export type IngestDeps = {
  redis: Redis;
  sites: SiteDirectory;
  geo: GeoLookup;
  trustedProxies: string[];
  maxBacklog: number;
  log: Logger;
  registry?: Registry;
  /**
   * The hit's append to its raw partition stream goes through this connection, which never resends a
   * write after a reconnect (storage's openAcknowledgedWriter), and is answered once `replicas`
   * replicas hold it.
   */
  acknowledged?: { redis: Redis; replicas: number; timeoutMs: number };
};

/**
 * The ingest pipeline: site → request → hostname shield → filters → bot → visitor → user agent →
 * geo → language → screen → source → raw append. Each step may drop the request with a reason;
 * dropped requests are logged to the `request` table, counted ones are appended to their visitor's
 * raw partition stream, which a sessionizer turns into session and hit entries of the ingest stream
 * downstream (session/sessionizer.ts): the request waits for Redis to hold the hit, not for its
 * session. Nothing here talks to ClickHouse: the flusher does, so ingest keeps answering while
 * ClickHouse is away.
 */
export function createIngestPipeline(deps: IngestDeps) {
  const steps: Step[] = [
    requestStep(deps.trustedProxies),
    hostnameStep,
    filtersStep,
    botStep,
    visitorStep(createSaltStore(deps.redis)),
    userAgentStep,
    geoStep(deps.geo),
    languageStep,
    screenStep,
    sourceStep,
  ];
  const appendHit = createHitAppender(deps.acknowledged?.redis ?? deps.redis, deps.acknowledged);
  const backlog = createBacklogGauge(deps.redis, deps.maxBacklog, () => ingestBacklog(deps.redis).then((b) => b.total));
  const registers = deps.registry ? [deps.registry] : [];
  const outcomes = new Counter({
    name: 'ingest_requests_total',
    help: 'Ingest requests by kind and outcome (accepted, dropped with a reason, rejected)',
    labelNames: ['kind', 'outcome', 'reason'],
    registers,
  });
  // One observation per request: timing every step cost more than several of the steps themselves.
  const pipelineTime = new Histogram({
    name: 'ingest_pipeline_duration_seconds',
    help: 'Time from a request entering the ingest pipeline to its outcome, raw append included',
    labelNames: ['kind'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25],
    registers,
  });

  // Metric children by label values, looked up once: labelling every observation hashed the labels per hit.
  const timers = new Map<string, ReturnType<typeof pipelineTime.labels>>();
  const timerOf = (kind: string) => timers.get(kind) ?? timers.set(kind, pipelineTime.labels(kind)).get(kind)!;
  const counters = new Map<string, ReturnType<typeof outcomes.labels>>();
  const counterOf = (kind: string, outcome: string, reason: string) => {
    const key = `${kind}:${outcome}:${reason}`;
    return counters.get(key) ?? counters.set(key, outcomes.labels(kind, outcome, reason)).get(key)!;
  };

  /**
   * One hit through the steps to its raw append. Written without `async`: a hit whose backlog
   * answer, site and salts are cached (nearly every one) meets no promise before the append, and
   * each awaited value would cost promises and microtask turns on the hottest path.
   */
  function run(input: IngestInput, backlogChecked: boolean): IngestOutcome | Promise<IngestOutcome> {
    if (!backlogChecked) {
      const full = backlog.isFull();
      if (full instanceof Promise) return full.then((isFull) => (isFull ? BACKLOG_FULL : withSite(input)));
      if (full) return BACKLOG_FULL;
    }
    return withSite(input);
  }

  function withSite(input: IngestInput): IngestOutcome | Promise<IngestOutcome> {
    const resolved = resolveSite(deps.sites, input);
    return resolved instanceof Promise ? resolved.then((r) => enrich(input, r)) : enrich(input, resolved);
  }

  function enrich(input: IngestInput, resolved: Awaited<ReturnType<typeof resolveSite>>) {
    if ('error' in resolved) return { status: 'rejected', httpStatus: 404, ...resolved } satisfies IngestOutcome;
    const ctx: IngestContext = {
      input,
      site: resolved.site,
      url: resolved.url,
      ip: '',
      userAgent: '',
      visitorId: '',
      previousVisitorId: undefined,
      partition: 0,
      dims: emptyDimensions(),
      sourceKey: '',
    };
    // Billing: one comparison against the cached site settings, no I/O (see site-directory.ts).
    if (resolved.site.ingestStopAt !== undefined && input.time.getTime() >= resolved.site.ingestStopAt)
      return drop(ctx, 'billing_lapsed');
    return stepsFrom(ctx, 0);
  }

  function stepsFrom(ctx: IngestContext, first: number): Promise<IngestOutcome> {
    for (let i = first; i < steps.length; i++) {
      const result = steps[i]!.run(ctx);
      // Most steps are synchronous; only a step that returns a promise is waited for.
      if (result instanceof Promise) return result.then((r) => (r ? drop(ctx, r.drop) : stepsFrom(ctx, i + 1)));
      if (result) return drop(ctx, result.drop);
    }
    // A session ping without a live session is dropped downstream, by the sessionizer (it alone knows).
    return appendHit({
      kind: ctx.input.kind,
      siteId: ctx.site.id,
      visitorId: ctx.visitorId,
      previousVisitorId: ctx.previousVisitorId,
      partition: ctx.partition,
      time: ctx.input.time,
      sourceKey: ctx.sourceKey,
      members: membersFor(ctx),
      interactive: ctx.input.kind === 'event' && !(ctx.input.payload as EventPayload).non_interactive,
    }).then(accepted);
  }

  async function drop(ctx: IngestContext, reason: DropReason): Promise<IngestOutcome> {
    await appendRows(deps.redis, [
      {
        table: 'request',
        row: requestRow({
          siteId: ctx.site.id,
          time: ctx.input.time,
          reason,
          hostname: ctx.url.hostname,
          path: ctx.url.pathname,
          userAgent: ctx.userAgent,
          referrer: (ctx.input.payload as { referrer?: string }).referrer ?? '',
        }),
      },
    ]);
    deps.log.debug({ reason, site: ctx.site.id, kind: ctx.input.kind }, 'request not counted');
    return { status: 'dropped', reason };
  }

  function record(input: IngestInput, outcome: IngestOutcome, started: number): IngestOutcome {
    timerOf(input.kind).observe((performance.now() - started) / 1000);
    counterOf(input.kind, outcome.status, outcome.status === 'dropped' ? outcome.reason : '').inc();
    return outcome;
  }

  function measured(input: IngestInput, backlogChecked: boolean): Promise<IngestOutcome> {
    const started = performance.now();
    try {
      const outcome = run(input, backlogChecked);
      if (outcome instanceof Promise) return outcome.then((done) => record(input, done, started));
      return Promise.resolve(record(input, outcome, started));
    } catch (error) {
      // As from an async function: whatever goes wrong comes back as a rejection, never a throw.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return {
    /** One hit, event or ping; 503 when the stream is over its bound. */
    ingest: (input: IngestInput) => measured(input, false),
    /**
     * A `/batch` request, taken whole or refused whole (see ingest-batch.ts): the backlog is asked
     * once, before the first item, since a 503 after some items were taken would have the client
     * resend the whole batch and count those twice.
     */
    ingestBatch: batchIngest({
      backlogFull: () => backlog.isFull(),
      ingest: (input) => measured(input, true),
      log: deps.log,
    }),
  };
}

const BACKLOG_FULL: IngestOutcome = {
  status: 'rejected',
  httpStatus: 503,
  error: 'ingest backlog is full, retry later',
};
const ACCEPTED: IngestOutcome = { status: 'accepted' };
const accepted = () => ACCEPTED;

function membersFor(ctx: IngestContext) {
  const { kind, payload, time } = ctx.input;
  const text = formatTime(time);
  if (kind === 'page_view') return hitMembers(ctx, text, { kind, tags: (payload as HitPayload).tags });
  if (kind === 'event') return hitMembers(ctx, text, { kind, event: payload as EventPayload });
  return hitMembers(ctx, text, { kind });
}
