/**
 * Plausible-style sampling, an option (STATS_SAMPLE_ABOVE_VIEWS) for sites too large to count
 * exactly within the latency budget; without it every statistic is exact. The tables are
 * `SAMPLE BY visitor_id` (a keyed hash, uniform over UInt64): `SAMPLE r` keeps the visitors whose id
 * is below r × 2^64, the same visitors in page_view and session, so a visit's page views and its
 * session row are kept or dropped together, and counts scale by 1 / r.
 */
export type Sample = { rate: number; clause: string };

/** The sample that reads about `target` of `views` page views, or none when the period is small enough. */
export function sampleFor(target: number | undefined, views: number): Sample | undefined {
  if (!target || views <= target) return undefined;
  // Four decimals; the rate comes from configuration and counts, never from the request, and
  // ClickHouse takes SAMPLE only as a literal.
  const rate = Math.max(0.0001, Math.round((target / views) * 10_000) / 10_000);
  return { rate, clause: `SAMPLE ${rate.toFixed(4)}` };
}

/** A count read from the sample, scaled to the whole. */
export const scaled = (value: number, sample: Sample | undefined) => (sample ? Math.round(value / sample.rate) : value);
