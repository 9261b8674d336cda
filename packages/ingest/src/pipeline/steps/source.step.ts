import { classifyChannel, parseReferrer, parseUtm } from '../../enrich/index.ts';
import { sourceKey } from '../../contract/ingest-context.ts';
import type { IngestContext } from '../context.ts';

/**
 * Where the visit came from: campaign parameters, the referrer (self-referrals dropped, known
 * sources named) and the channel they add up to. The referrer and campaign also decide whether
 * this hit starts a new session (see sourceKey and session.lua).
 */
export const sourceStep = {
  name: 'source',
  run(ctx: IngestContext) {
    const utm = parseUtm(ctx.url);
    const referrer = parseReferrer({
      referrer: (ctx.input.payload as { referrer?: string }).referrer ?? '',
      pageHostname: ctx.dims.hostname,
      siteHostnames: ctx.site.hostnames,
      source: utm.ref,
    });
    const d = ctx.dims;
    d.utm_source = utm.utm_source;
    d.utm_medium = utm.utm_medium;
    d.utm_campaign = utm.utm_campaign;
    d.utm_content = utm.utm_content;
    d.utm_term = utm.utm_term;
    d.referrer = referrer?.referrer ?? '';
    d.referrer_name = referrer?.referrer_name ?? '';
    d.channel = classifyChannel({
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
    ctx.sourceKey = sourceKey(d.referrer, [
      d.utm_source,
      d.utm_medium,
      d.utm_campaign,
      d.utm_content,
      d.utm_term,
      utm.ref,
      utm.gclid ? 'gclid' : '',
      utm.msclkid ? 'msclkid' : '',
    ]);
  },
};
