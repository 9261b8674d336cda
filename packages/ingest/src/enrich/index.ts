/**
 * Enrichment and classification for the ingest pipeline: pure functions over strings from the
 * network (total on bad input, cached where parsing is costly) plus the in-memory geo database.
 */
export { parseUserAgent, type UserAgentInfo, type Platform, type ClientHints } from './user-agent.ts';
export { hintedBrowser, hintedPlatform, hintedMobile } from './client-hints.ts';
export {
  detectBot,
  isReferrerSpam,
  USER_AGENT_MIN_LENGTH,
  USER_AGENT_MAX_LENGTH,
  type BotReason,
  type BotCheckInput,
} from './bot.ts';
export { parseReferrer, type Referrer, type ReferrerInput } from './referrer.ts';
export {
  sourceForHost,
  sourceForApp,
  sourceForName,
  type KnownSource,
  type SourceCategory,
} from './referrer-sources.ts';
export { classifyChannel, CHANNELS, type Channel, type ChannelInput } from './channel.ts';
export { parseUtm, MAX_UTM_LENGTH, type UtmParams } from './utm.ts';
export { parseLanguage } from './language.ts';
export { screenClass, type ScreenClass } from './screen.ts';
export { openGeo, type GeoLookup, type GeoLocation } from './geo.ts';
export { normalizeHostname, withoutWww } from './hostname.ts';
export { clientIp, type ClientIpInput } from './client-ip.ts';
export { ipInCidrs, compileCidrs, parseCidr, isValidCidr, normalizeIp, type Cidr } from './cidr.ts';
export { cleanText } from './text.ts';
