import { cleanText } from './text.ts';

export type UtmParams = {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
  /** A Google Ads click id (`gclid`, or `gbraid`/`wbraid` on iOS) was present. */
  gclid: boolean;
  /** A Microsoft Ads click id was present. */
  msclkid: boolean;
  /**
   * The source named by the link when there may be no Referer header: `ref`, then `referrer`/`referer`,
   * then `source`, then `utm_source` (trimmed, original case). Passed to `parseReferrer` as `source`.
   */
  ref: string;
};

/** Values are shown on the dashboard and grouped on; beyond this they are pasted junk. */
export const MAX_UTM_LENGTH = 200;

const REF_PARAMS = ['ref', 'referrer', 'referer', 'source', 'utm_source'] as const;

/**
 * Campaign parameters of a page URL. Source and medium are lowercased (`Newsletter` and `newsletter`
 * are one source); campaign, content and term keep their case. Never throws: URLSearchParams decodes
 * leniently, and every value is cleaned and bounded.
 */
export function parseUtm(url: URL): UtmParams {
  const params = url.searchParams;
  let ref = '';
  for (const name of REF_PARAMS) {
    ref = param(params, name);
    if (ref !== '') break;
  }
  return {
    utm_source: param(params, 'utm_source').toLowerCase(),
    utm_medium: param(params, 'utm_medium').toLowerCase(),
    utm_campaign: param(params, 'utm_campaign'),
    utm_content: param(params, 'utm_content'),
    utm_term: param(params, 'utm_term'),
    gclid: param(params, 'gclid') !== '' || param(params, 'gbraid') !== '' || param(params, 'wbraid') !== '',
    msclkid: param(params, 'msclkid') !== '',
    ref,
  };
}

// A module function, not a closure per call: the hot path runs this for every hit.
function param(params: URLSearchParams, name: string): string {
  return cleanText(params.get(name), MAX_UTM_LENGTH);
}
