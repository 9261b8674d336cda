import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { ingestBacklog } from '../session/raw-stream.ts';
import { INGEST_STREAM } from '../stream/stream.ts';

/**
 * The two numbers the alerts on ingest watch (deploy/prometheus/alerts.yml), read from Redis when
 * /metrics is scraped: how many entries wait in the stream (the backlog that INGEST_MAX_BACKLOG
 * bounds) and how old the oldest is (how far behind the flushers are; stream ids start with the
 * millisecond they were added). Redis being away gives NaN, not a failed scrape.
 */
export function registerStreamMetrics(redis: Redis, registry: Registry): void {
  if (registry.getSingleMetric('ingest_stream_entries')) return; // one set per process, however many flushers
  new Gauge({
    name: 'ingest_stream_entries',
    help: 'Entries in the ingest stream not yet flushed to ClickHouse (the backlog)',
    registers: [registry],
    async collect() {
      this.set(await redis.xlen(INGEST_STREAM).catch(() => NaN));
    },
  });
  new Gauge({
    name: 'ingest_raw_entries',
    help: 'Hits in the raw partition streams not yet sessionized (with ingest_stream_entries, what INGEST_MAX_BACKLOG bounds)',
    registers: [registry],
    async collect() {
      this.set(
        await ingestBacklog(redis).then(
          (b) => b.raw,
          () => NaN,
        ),
      );
    },
  });
  new Gauge({
    name: 'ingest_stream_oldest_entry_age_seconds',
    help: 'Age of the oldest entry still in the ingest stream: how far the flushers lag (0 when empty)',
    registers: [registry],
    async collect() {
      const first = (await redis.xrange(INGEST_STREAM, '-', '+', 'COUNT', 1).catch(() => undefined)) as
        [string, string[]][] | undefined;
      if (!first) return this.set(NaN);
      this.set(first.length === 0 ? 0 : Math.max(0, (Date.now() - Number(first[0]![0].split('-')[0])) / 1000));
    },
  });
}
