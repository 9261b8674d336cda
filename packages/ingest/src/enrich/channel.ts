import { sourceForHost, sourceForName, type SourceCategory } from './referrer-sources.ts';

export const CHANNELS = [
  'Direct',
  'Organic Search',
  'Paid Search',
  'Organic Social',
  'Paid Social',
  'Email',
  'AI Assistants',
  'Affiliates',
  'Display',
  'Video',
  'Referral',
  'Unknown',
] as const;
export type Channel = (typeof CHANNELS)[number];

export type ChannelInput = {
  /** `parseReferrer().referrer_name` (may come from `ref`/`utm_source` alone), or `''`. */
  referrerName: string;
  /** `parseReferrer().referrer_host`, or `''`. */
  referrerHost: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  gclid: boolean;
  msclkid: boolean;
};

// Cost-per-X mediums and the spellings ad tools use for paid traffic (`paid_social`, `fb_cpc`).
const PAID_MEDIUM = /^(?:cp[a-z]|ppc|sem|retargeting|remarketing|paid.*|.*[_-](?:cp[a-z]|ppc|paid))$/;
const DISPLAY_MEDIUM = /^(?:display|banners?|cpm|expandable|interstitial|programmatic|native)$/;
const AFFILIATE_MEDIUM = /^(?:affiliates?|partners?)$/;
const EMAIL = /e[-_]?mail|newsletter/;
const SOCIAL_MEDIUM = /^(?:social|sm|social[-_ ]?(?:network|media)|social[-_ ]?post)$/;
const REFERRAL_MEDIUM = /^(?:referral|app|link)$/;

/**
 * The marketing channel of a visit, in the spirit of GA4's default channel grouping: explicit
 * campaign tagging (utm_medium, click ids) decides first, then the category of the source, which is
 * looked up from `utm_source` when it names a known source and from the referrer otherwise. Tagged
 * traffic that matches nothing is "Unknown" rather than a guess.
 */
export function classifyChannel(input: ChannelInput): Channel {
  const source = lower(input.utm_source);
  const medium = lower(input.utm_medium);
  const hasReferrer = lower(input.referrerName) !== '' || lower(input.referrerHost) !== '';
  const hasClickId = input.gclid === true || input.msclkid === true;

  if (source === '(direct)' && (medium === '' || medium === '(none)' || medium === '(not set)')) return 'Direct';
  if (!hasReferrer && !hasClickId && source === '' && medium === '' && lower(input.utm_campaign) === '')
    return 'Direct';

  const category = categoryOf(source, input.referrerHost, input.referrerName);

  if (hasClickId || PAID_MEDIUM.test(medium)) {
    if (category === 'social' || medium.includes('social')) return 'Paid Social';
    if (category === 'video' || medium.includes('video')) return 'Video';
    if (DISPLAY_MEDIUM.test(medium)) return 'Display';
    // Click ids and cost-per-click without a social or video source are search ads in practice.
    return 'Paid Search';
  }
  if (DISPLAY_MEDIUM.test(medium)) return 'Display';
  if (AFFILIATE_MEDIUM.test(medium)) return 'Affiliates';
  if (category === 'ai') return 'AI Assistants';
  if (category === 'email' || EMAIL.test(medium) || EMAIL.test(source) || EMAIL.test(lower(input.referrerName)))
    return 'Email';
  if (category === 'social' || SOCIAL_MEDIUM.test(medium)) return 'Organic Social';
  if (category === 'video' || medium.includes('video')) return 'Video';
  if (category === 'search' || medium === 'organic') return 'Organic Search';
  if (hasReferrer || REFERRAL_MEDIUM.test(medium)) return 'Referral';
  return 'Unknown';
}

function categoryOf(source: string, referrerHost: string, referrerName: string): SourceCategory | undefined {
  // Manual tagging beats the Referer header, as in GA4: utm_source=newsletter on a Gmail click is the
  // newsletter's visit.
  const tagged = source === '' ? undefined : sourceForName(source);
  if (tagged) return tagged.category;
  const host = lower(referrerHost);
  const byHost = host === '' ? undefined : sourceForHost(host);
  if (byHost) return byHost.category;
  const name = lower(referrerName);
  return name === '' ? undefined : sourceForName(name)?.category;
}

function lower(value: string): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}
