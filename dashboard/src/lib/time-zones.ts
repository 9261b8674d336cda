/** The browser's own time zone: the default for a new site or rollup view. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * The zones a time-zone select offers: every IANA zone the browser knows, with `current` (the
 * stored or default choice, which an older browser's list may lack) and UTC always among them.
 */
export function timeZoneChoices(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  for (const zone of [current, 'UTC']) if (!zones.includes(zone)) zones.unshift(zone);
  return zones;
}
