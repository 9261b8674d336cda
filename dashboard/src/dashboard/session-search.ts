import { countryName } from '../lib/format.ts';

/** What the session explorer searches in, and the statistics parameter each search becomes. */
export const SESSION_SEARCH_FIELDS = {
  path: 'Page',
  referrer_name: 'Referrer',
  country: 'Country',
  browser: 'Browser',
  os: 'Operating system',
  platform: 'Device type',
} as const;
export type SessionSearchField = keyof typeof SESSION_SEARCH_FIELDS;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
let countries: [code: string, name: string][] | undefined;

/**
 * The parameters a search adds to the session list: "contains" (`~`) on the field, any case.
 * Countries are stored as codes, so "germ" becomes the codes whose English name contains it
 * (and "de" that code); no match at all searches for a code that cannot exist, i.e. nothing.
 */
export function sessionSearchParams(field: SessionSearchField, text: string): Record<string, string | string[]> {
  const needle = text.trim();
  if (!needle) return {};
  if (field !== 'country') return { [field]: `~${needle}` };
  countries ??= [...LETTERS]
    .flatMap((a) => [...LETTERS].map((b): [string, string] => [`${a}${b}`, countryName(`${a}${b}`)]))
    .filter(([code, name]) => name !== code);
  const lower = needle.toLowerCase();
  // Two letters that are a code mean that country ("de"), not every name containing them (Sweden).
  const exact = countries.find(([code]) => code.toLowerCase() === lower);
  const codes = exact
    ? [lower]
    : countries.filter(([, name]) => name.toLowerCase().includes(lower)).map(([code]) => code.toLowerCase());
  return { country: codes.length ? codes : ['zz'] };
}
