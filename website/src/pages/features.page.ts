import { flat, html } from '../html/escape.ts';
import type { PageDeps } from './page-deps.ts';

type FeatureGroup = { id: string; title: string; intro: string; items: string[]; more?: [string, string] };

const groups: FeatureGroup[] = [
  {
    id: 'privacy',
    title: 'Privacy',
    intro: 'Spur is built so that it cannot identify your visitors, even if it wanted to.',
    items: [
      'No cookies, no local storage, no fingerprinting that lasts beyond a day',
      'IP addresses are used for the visitor hash and location, then discarded; never stored or logged',
      'Visitor ids use a salt that is replaced every midnight UTC, so visits cannot be linked across days or sites',
      'Data stored in Germany; a data processing agreement is part of the terms',
      'Visitors can opt out, and localhost is ignored during development',
    ],
    more: ['/docs/privacy', 'What is and is not stored'],
  },
  {
    id: 'dashboard',
    title: 'Dashboard',
    intro: 'Every report on one page, fast even with millions of page views.',
    items: [
      'Visitors, page views, sessions, bounce rate, session duration and time on page, compared with the previous period',
      'Pages, entry pages and exit pages; hostnames for sites with several domains',
      'Referrers grouped by source, and channels: search, social, email, paid, AI assistants, referral and direct',
      'UTM source, medium, campaign, content and term, with click ids from Google and Microsoft ads',
      'Countries, regions and cities; languages; browsers, operating systems and their versions; platforms and screen classes',
      'Filter by any value, exclude values, or search; the filters stay in the URL so you can share a view',
      'Realtime view of the last 30 minutes, minute by minute, and time of day and day of week heatmaps',
      'Notes on the chart for releases and campaigns, and a session explorer with search and paging',
    ],
  },
  {
    id: 'events',
    title: 'Events, goals and funnels',
    intro: 'See what people do, not only what they read.',
    items: [
      'Custom events with metadata and durations, from JavaScript, HTML attributes or your server',
      'Outbound link clicks, file downloads and 404 pages tracked automatically',
      'Page goals with wildcards or regular expressions, event goals, and custom metrics such as revenue',
      'Funnels of up to eight steps, counted in order within a session',
    ],
    more: ['/docs/events-and-goals', 'Events and goals guide'],
  },
  {
    id: 'integrations',
    title: 'For developers',
    intro: 'Spur fits into the tools you already use.',
    items: [
      'A script under 1.5 KB compressed with single-page-app support and a first-party proxy option',
      'REST API compatible with Pirsch’s API v1: the official Pirsch SDKs work with a new base URL',
      'Server-side tracking with access keys, and batch endpoints for offline or log-based import',
      'CSV export of every report',
      'Open source and self-hostable: one command starts the whole product on your machine',
    ],
    more: ['/docs/server-side-tracking', 'Server-side tracking'],
  },
  {
    id: 'teams',
    title: 'Teams and sharing',
    intro: 'Work on your statistics together, and show them to whoever needs them.',
    items: [
      'Organizations with owners, admins and viewers; invitations by email',
      'Public dashboards on their own subdomain, and access links with an optional password and expiry',
      'Rollup views that combine several sites in one dashboard, with every report and filter',
      'Daily, weekly or monthly email reports, and alerts when traffic spikes',
      'Two-factor authentication, active session overview and an audit log',
    ],
  },
];

// Built once from the constants above; a request only assembles the page around it.
const sections = flat(
  html`${groups.map(
    (group) =>
      html`<section class="section" aria-labelledby="${group.id}">
        <h2 id="${group.id}">${group.title}</h2>
        <p class="muted">${group.intro}</p>
        <ul class="check">
          ${group.items.map((item) => html`<li>${item}</li>`)}
        </ul>
        ${group.more ? html`<p><a href="${group.more[0]}">${group.more[1]} →</a></p>` : ''}
      </section>`,
  )}`,
);

export function renderFeatures({ links, layout }: PageDeps): string {
  return layout(
    {
      path: '/features',
      title: 'Features',
      description:
        'Everything Spur does: a complete analytics dashboard, events, goals and funnels, a Pirsch-compatible API and team sharing, all without cookies.',
      section: 'features',
    },
    html`<div class="wrap">
      <div class="page-head">
        <p class="eyebrow">Features</p>
        <h1>Everything you need to understand your traffic</h1>
        <p>
          Spur gives you the reports of a full analytics suite without following anyone around the web. Here is what is
          included.
        </p>
        <p>
          <a class="btn btn-primary" href="${links.signup}">Start free trial</a>
          <a class="btn" href="${links.demo}">Open the live demo</a>
        </p>
      </div>
      ${sections}
    </div>`,
  );
}
