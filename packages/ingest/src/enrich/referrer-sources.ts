import { z } from 'zod';
import { readJsonFile } from './data-file.ts';
import { withoutWww } from './hostname.ts';

/**
 * Known referrer sources from `data/referrer-sources.json`: the name a source is shown and grouped
 * under (all Google country domains are "Google") and the category the channel step reads.
 */
export type SourceCategory = 'search' | 'social' | 'video' | 'email' | 'ai' | 'referral';
export type KnownSource = { name: string; category: SourceCategory };

const fileSchema = z.object({
  sources: z.array(
    z.object({
      name: z.string().min(1),
      category: z.enum(['search', 'social', 'video', 'email', 'ai', 'referral']),
      domains: z.array(z.string().min(1)),
      apps: z.array(z.string().min(1)),
      aliases: z.array(z.string().min(1)),
    }),
  ),
});

type Index = {
  domains: Map<string, KnownSource>;
  /** `google` for `google.*`: the label before a country or generic TLD. */
  anyTld: Map<string, KnownSource>;
  apps: Map<string, KnownSource>;
  aliases: Map<string, KnownSource>;
};

let index: Index | undefined;

function loadIndex(): Index {
  const file = fileSchema.parse(readJsonFile('referrer-sources.json'));
  const built: Index = { domains: new Map(), anyTld: new Map(), apps: new Map(), aliases: new Map() };
  for (const entry of file.sources) {
    const source: KnownSource = Object.freeze({ name: entry.name, category: entry.category });
    for (const domain of entry.domains) {
      if (domain.endsWith('.*')) built.anyTld.set(domain.slice(0, -2).toLowerCase(), source);
      else built.domains.set(domain.toLowerCase(), source);
    }
    // Package names are case-sensitive on Android but nobody registers two that differ by case.
    for (const app of entry.apps) built.apps.set(app.toLowerCase(), source);
    for (const alias of [entry.name, ...entry.aliases]) built.aliases.set(normalizeAlias(alias), source);
  }
  return built;
}

function sourcesIndex(): Index {
  index ??= loadIndex();
  return index;
}

// `com`, `de`, `co.uk`, `com.br`, `org.au`: what may follow `google.` in a country search domain.
const ANY_TLD = /^(?:(?:com?|org|net|gov|edu|ac|gob|or|ne)\.)?[a-z]{2,3}$/;

// Mastodon runs on thousands of servers; these name patterns catch most of those not listed.
const MASTODON_LIKE = /(?:^|\.)(?:mastodon|mstdn)[a-z0-9-]*\./;
const MASTODON: KnownSource = Object.freeze({ name: 'Mastodon', category: 'social' });

/**
 * The source a host belongs to: the host itself or its closest listed parent domain
 * (`old.reddit.com` → Reddit, `mail.google.com` → Gmail before `google.*` → Google).
 */
export function sourceForHost(hostname: string): KnownSource | undefined {
  const { domains, anyTld } = sourcesIndex();
  let host = withoutWww(hostname.toLowerCase());
  while (host.includes('.')) {
    const exact = domains.get(host);
    if (exact) return exact;
    const dot = host.indexOf('.');
    const wildcard = anyTld.get(host.slice(0, dot));
    if (wildcard && ANY_TLD.test(host.slice(dot + 1))) return wildcard;
    host = host.slice(dot + 1);
  }
  return MASTODON_LIKE.test(hostname.toLowerCase()) ? MASTODON : undefined;
}

/** The source of an Android app referrer (`com.google.android.gm` → Gmail). */
export function sourceForApp(packageName: string): KnownSource | undefined {
  return sourcesIndex().apps.get(packageName.toLowerCase());
}

/**
 * The source a `utm_source` / `ref` value means: a known alias or name (`twitter`, `Hacker News`), or
 * a host (`chatgpt.com`, which ChatGPT appends to the links it shows).
 */
export function sourceForName(value: string): KnownSource | undefined {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '' || trimmed.length > 253) return undefined;
  const alias = sourcesIndex().aliases.get(normalizeAlias(trimmed));
  if (alias) return alias;
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(trimmed)) return undefined;
  return sourceForHost(trimmed);
}

/** `Hacker News`, `hacker-news` and `hacker_news` are one alias. */
function normalizeAlias(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '');
}
