/**
 * The shape of the demo traffic: weighted tables a real site of this kind shows. Raw inputs
 * (user agents, referrer URLs, campaign links) go through the real enrichment steps, so the
 * demo exercises the same parsing as live traffic.
 */
export type Weighted<T> = [T, number][];

export const DEVICES: Weighted<{ ua: string; width: number; height: number }> = [
  [
    {
      ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      width: 1920,
      height: 1080,
    },
    26,
  ],
  [
    {
      ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      width: 1512,
      height: 982,
    },
    14,
  ],
  [
    {
      ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15',
      width: 1440,
      height: 900,
    },
    8,
  ],
  [
    {
      ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1',
      width: 393,
      height: 852,
    },
    15,
  ],
  [
    {
      ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36',
      width: 412,
      height: 915,
    },
    11,
  ],
  [
    {
      ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
      width: 1920,
      height: 1080,
    },
    7,
  ],
  [
    {
      ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
      width: 2560,
      height: 1440,
    },
    7,
  ],
  [{ ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', width: 2560, height: 1440 }, 4],
  [
    {
      ua: 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
      width: 384,
      height: 832,
    },
    4,
  ],
  [
    {
      ua: 'Mozilla/5.0 (iPad; CPU OS 18_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1',
      width: 820,
      height: 1180,
    },
    3,
  ],
  [
    {
      ua: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
      width: 1366,
      height: 768,
    },
    1,
  ],
];

/** country, region, city and the Accept-Language their visitors send. */
export const PLACES: Weighted<{ country: string; region: string; city: string; language: string }> = [
  [{ country: 'US', region: 'California', city: 'San Francisco', language: 'en-US,en;q=0.9' }, 9],
  [{ country: 'US', region: 'New York', city: 'New York', language: 'en-US,en;q=0.9' }, 8],
  [{ country: 'US', region: 'Texas', city: 'Austin', language: 'en-US,en;q=0.9' }, 4],
  [{ country: 'US', region: 'Washington', city: 'Seattle', language: 'en-US,en;q=0.9' }, 3],
  [{ country: 'DE', region: 'Berlin', city: 'Berlin', language: 'de-DE,de;q=0.9,en;q=0.8' }, 8],
  [{ country: 'DE', region: 'Bavaria', city: 'Munich', language: 'de-DE,de;q=0.9,en;q=0.8' }, 5],
  [{ country: 'DE', region: 'Hamburg', city: 'Hamburg', language: 'de-DE,de;q=0.9' }, 3],
  [{ country: 'GB', region: 'England', city: 'London', language: 'en-GB,en;q=0.9' }, 8],
  [{ country: 'GB', region: 'England', city: 'Manchester', language: 'en-GB,en;q=0.9' }, 2],
  [{ country: 'FR', region: 'Île-de-France', city: 'Paris', language: 'fr-FR,fr;q=0.9,en;q=0.7' }, 5],
  [{ country: 'NL', region: 'North Holland', city: 'Amsterdam', language: 'nl-NL,nl;q=0.9,en;q=0.8' }, 4],
  [{ country: 'AT', region: 'Vienna', city: 'Vienna', language: 'de-AT,de;q=0.9' }, 2],
  [{ country: 'CH', region: 'Zurich', city: 'Zurich', language: 'de-CH,de;q=0.9,en;q=0.8' }, 2],
  [{ country: 'ES', region: 'Madrid', city: 'Madrid', language: 'es-ES,es;q=0.9' }, 3],
  [{ country: 'IT', region: 'Lombardy', city: 'Milan', language: 'it-IT,it;q=0.9' }, 2],
  [{ country: 'SE', region: 'Stockholm', city: 'Stockholm', language: 'sv-SE,sv;q=0.9,en;q=0.8' }, 2],
  [{ country: 'PL', region: 'Mazovia', city: 'Warsaw', language: 'pl-PL,pl;q=0.9' }, 2],
  [{ country: 'CA', region: 'Ontario', city: 'Toronto', language: 'en-CA,en;q=0.9' }, 3],
  [{ country: 'BR', region: 'São Paulo', city: 'São Paulo', language: 'pt-BR,pt;q=0.9' }, 3],
  [{ country: 'IN', region: 'Karnataka', city: 'Bengaluru', language: 'en-IN,en;q=0.9,hi;q=0.8' }, 5],
  [{ country: 'JP', region: 'Tokyo', city: 'Tokyo', language: 'ja-JP,ja;q=0.9' }, 2],
  [{ country: 'AU', region: 'New South Wales', city: 'Sydney', language: 'en-AU,en;q=0.9' }, 2],
];

/** How visits arrive: a referrer URL and/or campaign parameters on the landing page. */
export const SOURCES: Weighted<{ referrer?: string; query?: string; landing: 'home' | 'content' | 'pricing' }> = [
  [{ landing: 'home' }, 32],
  [{ referrer: 'https://www.google.com/', landing: 'content' }, 22],
  [{ referrer: 'https://www.google.de/', landing: 'content' }, 3],
  [{ referrer: 'https://duckduckgo.com/', landing: 'content' }, 4],
  [{ referrer: 'https://www.bing.com/', landing: 'content' }, 3],
  [{ referrer: 'https://www.ecosia.org/', landing: 'content' }, 1],
  [{ referrer: 'https://chatgpt.com/', landing: 'home' }, 3],
  [{ referrer: 'https://www.perplexity.ai/', landing: 'content' }, 1],
  [{ referrer: 'https://t.co/x8Zq1', landing: 'home' }, 3],
  [{ referrer: 'https://www.reddit.com/r/webdev/comments/abc/privacy_analytics/', landing: 'content' }, 3],
  [{ referrer: 'https://news.ycombinator.com/item?id=4242', landing: 'home' }, 2],
  [{ referrer: 'https://www.linkedin.com/feed/', landing: 'content' }, 2],
  [{ referrer: 'https://github.com/awesome/analytics', landing: 'home' }, 3],
  [{ referrer: 'https://dev.to/someone/switching-analytics', landing: 'content' }, 2],
  [{ referrer: 'https://indiehackers.com/post/analytics', landing: 'home' }, 1],
  [{ query: 'utm_source=newsletter&utm_medium=email&utm_campaign=weekly-digest', landing: 'content' }, 5],
  [
    {
      query: 'utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=privacy+analytics&gclid=demo',
      landing: 'pricing',
    },
    3,
  ],
  [{ query: 'utm_source=twitter&utm_medium=social&utm_campaign=launch-week', landing: 'home' }, 2],
  [
    {
      query: 'utm_source=partner-blog&utm_medium=referral&utm_campaign=integration&utm_content=sidebar',
      landing: 'home',
    },
    1,
  ],
];

export type DemoPage = { path: string; title: string; kind: 'home' | 'content' | 'pricing' | 'other' };

export type DemoSiteProfile = {
  hostname: string;
  name: string;
  /** Average sessions per weekday at the start of the 90 days (traffic grows ~40% over them). */
  sessionsPerDay: number;
  pages: DemoPage[];
  /** Chance to leave after each page; sets the bounce rate and pages per session. */
  exitChance: number;
};

const page = (path: string, title: string, kind: DemoPage['kind'] = 'other'): DemoPage => ({ path, title, kind });

export const DEMO_SITES: DemoSiteProfile[] = [
  {
    hostname: 'demo.spur.localhost',
    name: 'Acme Analytics (demo)',
    sessionsPerDay: 1_150,
    exitChance: 0.42,
    pages: [
      page('/', 'Acme — simple, private analytics', 'home'),
      page('/pricing', 'Pricing — Acme', 'pricing'),
      page('/features', 'Features — Acme'),
      page('/signup', 'Create your account — Acme'),
      page('/about', 'About us — Acme'),
      page('/contact', 'Contact — Acme'),
      page('/blog', 'Blog — Acme', 'content'),
      page('/blog/cookieless-analytics', 'How cookieless analytics works', 'content'),
      page('/blog/gdpr-checklist', 'A GDPR checklist for analytics', 'content'),
      page('/blog/bounce-rate', 'What a bounce rate really says', 'content'),
      page('/blog/utm-guide', 'The UTM guide', 'content'),
      page('/blog/migrating-from-ga', 'Migrating from Google Analytics', 'content'),
      page('/docs', 'Documentation — Acme', 'content'),
      page('/docs/getting-started', 'Getting started — Acme docs', 'content'),
      page('/docs/events', 'Custom events — Acme docs', 'content'),
      page('/docs/api', 'REST API — Acme docs', 'content'),
      page('/docs/proxy', 'Proxying the script — Acme docs', 'content'),
    ],
  },
  {
    hostname: 'docs.spur.localhost',
    name: 'Acme Docs (demo)',
    sessionsPerDay: 330,
    exitChance: 0.55,
    pages: [
      page('/', 'Acme Docs', 'home'),
      page('/install', 'Install', 'content'),
      page('/configuration', 'Configuration', 'content'),
      page('/api/hit', 'POST /hit', 'content'),
      page('/api/statistics', 'Statistics endpoints', 'content'),
      page('/faq', 'FAQ', 'pricing'),
      page('/changelog', 'Changelog', 'content'),
    ],
  },
];

/** Visitors by hour of day (UTC): quiet nights, a working-day hump, an evening shoulder. */
export const HOURS = [2, 1.5, 1, 1, 1, 1.5, 3, 5, 7, 8, 8.5, 8.5, 8, 8.5, 8.5, 8, 7.5, 7, 6, 5.5, 5, 4.5, 3.5, 2.5];
/** Sunday..Saturday. */
export const WEEKDAYS = [0.55, 1.05, 1.1, 1.08, 1.02, 0.92, 0.6];
