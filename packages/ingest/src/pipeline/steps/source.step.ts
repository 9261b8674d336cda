import { LRUCache } from 'lru-cache';
import { classifyChannel, parseReferrer, parseUtm } from '../../enrich/index.ts';
import { sourceKey } from '../../contract/ingest-context.ts';
import type { IngestContext } from '../context.ts';

type Source = {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  referrer: string;
  referrer_name: string;
  channel: string;
  sourceKey: string;
};

/**
 * Results by their inputs: the query string, the referrer, the page's hostname and the site's
 * hostnames (per site object, which the site directory replaces when its settings change). Most
 * hits of a site share a handful of referrers and campaigns; parsing them again was a twentieth of a
 * hit's CPU in the bench:ingest profile.
 */
const cache = new WeakMap<object, LRUCache<string, Readonly<Source>>>();

/**
 * Where the visit came from: campaign parameters, the referrer (self-referrals dropped, known
 * sources named) and the channel they add up to. The referrer and campaign also decide whether
 * this hit starts a new session (see sourceKey and session.lua).
 */
export const sourceStep = {
  name: 'source',
  run(ctx: IngestContext) {
    const referrerText = (ctx.input.payload as { referrer?: string }).referrer ?? '';
    let known = cache.get(ctx.site);
    if (!known) cache.set(ctx.site, (known = new LRUCache({ max: 2_000 })));
    const key = `${ctx.dims.hostname}\n${ctx.url.search}\n${referrerText}`;
    let source = known.get(key);
    if (!source) known.set(key, (source = sourceOf(ctx, referrerText)));
    const d = ctx.dims;
    d.utm_source = source.utm_source;
    d.utm_medium = source.utm_medium;
    d.utm_campaign = source.utm_campaign;
    d.utm_content = source.utm_content;
    d.utm_term = source.utm_term;
    d.referrer = source.referrer;
    d.referrer_name = source.referrer_name;
    d.channel = source.channel;
    ctx.sourceKey = source.sourceKey;
  },
};

function sourceOf(ctx: IngestContext, referrerText: string): Source {
  const utm = parseUtm(ctx.url);
  const referrer = parseReferrer({
    referrer: referrerText,
    pageHostname: ctx.dims.hostname,
    siteHostnames: ctx.site.hostnames,
    source: utm.ref,
  });
  const d = {
    utm_source: utm.utm_source,
    utm_medium: utm.utm_medium,
    utm_campaign: utm.utm_campaign,
    utm_content: utm.utm_content,
    utm_term: utm.utm_term,
    referrer: referrer?.referrer ?? '',
    referrer_name: referrer?.referrer_name ?? '',
  };
  const channel = classifyChannel({
    referrerName: d.referrer_name,
    referrerHost: referrer?.referrer_host ?? '',
    utm_source: utm.utm_source,
    utm_medium: utm.utm_medium,
    utm_campaign: utm.utm_campaign,
    gclid: utm.gclid,
    msclkid: utm.msclkid,
  });
  // A source named only by `ref`/`utm_source` (d.referrer is '' then) is part of the campaign: it
  // travels in the URL, which an SPA navigation drops, while the Referer is resent unchanged.
  return {
    ...d,
    channel,
    sourceKey: sourceKey(d.referrer, [
      d.utm_source,
      d.utm_medium,
      d.utm_campaign,
      d.utm_content,
      d.utm_term,
      utm.ref,
      utm.gclid ? 'gclid' : '',
      utm.msclkid ? 'msclkid' : '',
    ]),
  };
}
