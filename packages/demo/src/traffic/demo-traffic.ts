import type { Redis } from '@spur/storage';
import {
  createSessionStore,
  emptyDimensions,
  formatTime,
  hitMembers,
  INGEST_STREAM,
  languageStep,
  screenStep,
  sourceStep,
  userAgentStep,
  type IngestContext,
  type IngestSite,
} from '@spur/ingest';
import {
  DEVICES,
  HOURS,
  PLACES,
  SOURCES,
  WEEKDAYS,
  type DemoPage,
  type DemoSiteProfile,
  type Weighted,
} from './demo-profiles.ts';

const DAY_MS = 86_400_000;

export type SeedResult = { sessions: number; pageViews: number; events: number };

/**
 * Generates `days` of believable traffic for a site and feeds it through the real session store
 * (session.lua) with the real row members and enrichment steps, so demo rows are exactly what
 * live traffic produces. Visitor ids are drawn directly (there is no IP to hash). Hits go to Redis
 * in time order on one connection, which keeps each visitor's sessions in order; the flusher moves
 * them to ClickHouse. Deterministic for a given seed.
 */
export async function seedDemoTraffic(options: {
  redis: Redis;
  site: IngestSite;
  profile: DemoSiteProfile;
  days: number;
  now?: Date;
  seed?: number;
  /** Pause while the stream holds more than this many rows, so Redis memory stays bounded. */
  maxBacklog?: number;
  /** Stops between days (shutdown while seeding). */
  signal?: AbortSignal;
}): Promise<SeedResult> {
  const random = mulberry32(options.seed ?? 7);
  const pick = <T>(table: Weighted<T>) => weighted(random, table);
  const updateSession = createSessionStore(options.redis);
  const today = Date.parse(new Date(options.now ?? Date.now()).toISOString().slice(0, 10));
  const end = (options.now ?? new Date()).getTime();
  const returning: string[] = [];
  const result: SeedResult = { sessions: 0, pageViews: 0, events: 0 };

  for (let day = options.days - 1; day >= 0; day--) {
    options.signal?.throwIfAborted();
    const dayStart = today - day * DAY_MS;
    const growth = 1 + 0.4 * ((options.days - day) / options.days);
    const expected =
      options.profile.sessionsPerDay * WEEKDAYS[new Date(dayStart).getUTCDay()]! * growth * (0.85 + random() * 0.3);
    const hits: Hit[] = [];
    for (let s = 0; s < Math.round(expected); s++) {
      const start = dayStart + hourOfDay(random) * 3_600_000 + Math.floor(random() * 3_600_000);
      if (start > end) continue;
      const visitorId =
        returning.length > 50 && random() < 0.3
          ? returning[Math.floor(random() * returning.length)]!
          : randomUInt64(random);
      if (returning.length < 5_000) returning.push(visitorId);
      else returning[Math.floor(random() * returning.length)] = visitorId;
      hits.push(...visit(random, pick, options.profile, visitorId, start, end));
      result.sessions++;
    }
    hits.sort((a, b) => a.time - b.time);
    const pending: Promise<boolean>[] = [];
    for (const hit of hits) {
      pending.push(feedHit(updateSession, options.site, hit));
      if (hit.event) result.events++;
      else result.pageViews++;
    }
    await Promise.all(pending);
    await waitForBacklog(options.redis, options.maxBacklog ?? 300_000);
  }
  return result;
}

/** One generated hit through the real session store, as the ingest pipeline would write it. */
export function feedHit(
  updateSession: ReturnType<typeof createSessionStore>,
  site: IngestSite,
  hit: Hit,
): Promise<boolean> {
  const ctx = context(site, hit);
  return updateSession({
    kind: hit.event ? 'event' : 'page_view',
    siteId: site.id,
    visitorId: hit.visitorId,
    previousVisitorId: undefined,
    time: new Date(hit.time),
    sourceKey: ctx.sourceKey,
    members: hitMembers(
      ctx,
      formatTime(new Date(hit.time)),
      hit.event ? { kind: 'event', event: hit.event } : { kind: 'page_view', tags: {} },
    ),
    interactive: hit.event ? !hit.event.non_interactive : false,
  });
}

export type Hit = {
  time: number;
  visitorId: string;
  url: string;
  referrer: string;
  title: string;
  device: (typeof DEVICES)[number][0];
  place: (typeof PLACES)[number][0];
  event?: { event_name: string; event_duration: number; event_meta: Record<string, string>; non_interactive: boolean };
};

export function visit(
  random: () => number,
  pick: <T>(t: Weighted<T>) => T,
  profile: DemoSiteProfile,
  visitorId: string,
  start: number,
  end: number,
): Hit[] {
  const device = pick(DEVICES);
  const place = pick(PLACES);
  const source = pick(SOURCES);
  const landing = pagesOf(profile, source.landing);
  let page = landing[Math.floor(random() * landing.length)]!;
  let time = start;
  let referrer = source.referrer ?? '';
  const hits: Hit[] = [];
  for (let step = 0; step < 12 && time <= end; step++) {
    const query = step === 0 && source.query ? `?${source.query}` : '';
    const base = {
      visitorId,
      device,
      place,
      title: page.title,
      url: `https://${profile.hostname}${page.path}${query}`,
    };
    hits.push({ ...base, time, referrer });
    for (const event of eventsOn(random, page)) {
      time += 2_000 + Math.floor(random() * 20_000);
      hits.push({ ...base, time, referrer: '', event });
    }
    if (random() < profile.exitChance && step > 0) break;
    if (step === 0 && random() < profile.exitChance) break;
    // Seconds to minutes on a page, with a long tail of readers.
    time += Math.floor((5 + random() ** 2 * 240 + (random() < 0.1 ? random() * 600 : 0)) * 1_000);
    referrer = `https://${profile.hostname}${page.path}`;
    page = profile.pages[Math.floor(random() * profile.pages.length)]!;
  }
  return hits;
}

function eventsOn(random: () => number, page: DemoPage): NonNullable<Hit['event']>[] {
  const events: NonNullable<Hit['event']>[] = [];
  const ev = (event_name: string, event_meta: Record<string, string>, non_interactive = false, event_duration = 0) => ({
    event_name,
    event_meta,
    non_interactive,
    event_duration,
  });
  if (page.path === '/signup' && random() < 0.45) {
    const plan = random() < 0.7 ? 'free' : 'pro';
    events.push(ev('Signup', { plan, method: random() < 0.6 ? 'email' : 'github' }));
    // Paid sign-ups carry their first invoice: the demo's revenue goal adds up `amount`.
    if (plan === 'pro')
      events.push(ev('Purchase', { plan, amount: (random() < 0.6 ? 24 : 240).toFixed(2), currency: 'EUR' }));
  }
  if (page.kind === 'pricing' && random() < 0.12)
    events.push(
      ev('Plan Selected', {
        plan: random() < 0.5 ? 'starter' : random() < 0.7 ? 'business' : 'enterprise',
        billing: random() < 0.6 ? 'yearly' : 'monthly',
      }),
    );
  if (page.path.startsWith('/docs') && random() < 0.15)
    events.push(ev('Copy Code', { language: random() < 0.5 ? 'html' : random() < 0.6 ? 'javascript' : 'curl' }));
  if (page.path.startsWith('/blog/') && random() < 0.2)
    events.push(ev('Scroll Depth', { percent: random() < 0.5 ? '50' : '90' }, true));
  if (page.path.startsWith('/blog/') && random() < 0.04)
    events.push(ev('Outbound Link Click', { url: 'https://github.com/acme/examples' }));
  if (page.path === '/docs' && random() < 0.06)
    events.push(ev('File Download', { file: 'https://cdn.acme.example/acme-whitepaper.pdf' }));
  if (page.kind === 'content' && random() < 0.1)
    events.push(ev('Video Played', { video: 'intro' }, false, 30 + Math.floor(random() * 200)));
  return events;
}

function pagesOf(profile: DemoSiteProfile, kind: DemoPage['kind']): DemoPage[] {
  const matching = profile.pages.filter((p) => p.kind === kind);
  return matching.length > 0 ? matching : profile.pages;
}

/** The same steps live traffic runs, on the demo's raw inputs. */
function context(site: IngestSite, hit: Hit): IngestContext {
  const payload = {
    url: hit.url,
    title: hit.title,
    referrer: hit.referrer,
    screen_width: hit.device.width,
    screen_height: hit.device.height,
    tags: {},
  };
  const ctx: IngestContext = {
    input: {
      kind: 'page_view',
      payload,
      auth: { type: 'code', code: 'demo' },
      remoteAddress: '',
      headers: { 'accept-language': hit.place.language },
      time: new Date(hit.time),
    },
    site,
    url: new URL(hit.url),
    ip: '',
    userAgent: hit.device.ua,
    visitorId: hit.visitorId,
    previousVisitorId: undefined,
    partition: 0,
    dims: emptyDimensions(),
    sourceKey: '',
  };
  ctx.dims.hostname = ctx.url.hostname;
  ctx.dims.path = ctx.url.pathname;
  ctx.dims.title = hit.title;
  ctx.dims.country_code = hit.place.country;
  ctx.dims.region = hit.place.region;
  ctx.dims.city = hit.place.city;
  for (const step of [userAgentStep, languageStep, screenStep, sourceStep]) step.run(ctx);
  return ctx;
}

async function waitForBacklog(redis: Redis, max: number) {
  while ((await redis.xlen(INGEST_STREAM)) > max) await new Promise((r) => setTimeout(r, 200));
}

function hourOfDay(random: () => number): number {
  return weighted(
    random,
    HOURS.map((w, hour) => [hour, w] as [number, number]),
  );
}

export function weighted<T>(random: () => number, table: Weighted<T>): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let roll = random() * total;
  for (const [value, w] of table) {
    roll -= w;
    if (roll < 0) return value;
  }
  return table.at(-1)![0];
}

export function randomUInt64(random: () => number): string {
  const high = BigInt(Math.floor(random() * 2 ** 32));
  const low = BigInt(Math.floor(random() * 2 ** 32));
  return ((high << 32n) | low).toString();
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
