import { PLANS, TRIAL_DAYS, formatEur } from '@spur/billing';
import { flat, html } from '../html/escape.ts';
import { PREVIEW_HEIGHT, PREVIEW_WIDTH } from '../html/dashboard-preview.ts';
import type { PageDeps } from './page-deps.ts';

const promises = [
  [
    'No cookies',
    'Nothing is stored on your visitors’ devices, so there is nothing to consent to and no banner to click away.',
  ],
  [
    'No IP addresses',
    'Visitors are counted with a hash that changes every day. The IP address is discarded after the lookup.',
  ],
  ['Hosted in Germany', 'Your statistics live on servers in Falkenstein, Germany, under a data processing agreement.'],
  ['Your data stays yours', 'Export everything as CSV or through the API, and delete it whenever you want.'],
] as const;

const highlights = [
  [
    'Everything on one screen',
    'Visitors, views, sessions, bounce rate and time on page; pages, referrers, campaigns, countries and devices. Click any row to filter.',
  ],
  [
    'Events, goals and funnels',
    'Count sign-ups and purchases with one line of JavaScript or an HTML attribute, and see where people drop out.',
  ],
  ['Live view', 'See who is on your site right now, and which pages they are reading.'],
  [
    'Pirsch-compatible API',
    'Send page views from your server and read statistics with the official Pirsch SDKs: change the base URL, keep your code.',
  ],
  ['Share a dashboard', 'Make a dashboard public, or send a client an access link with a password and an expiry date.'],
  ['Reports by email', 'A daily, weekly or monthly summary in your inbox, in your site’s time zone.'],
] as const;

const cheapest = Math.min(...PLANS.map((plan) => plan.tiers[0]!.monthlyCents));

// Fragments built from constants are built once; a request only assembles the page around them.
const cards = (items: readonly (readonly [string, string])[]) =>
  flat(
    html`<div class="grid">
      ${items.map(
        ([title, text]) =>
          html`<div class="card">
            <h3>${title}</h3>
            <p class="muted">${text}</p>
          </div>`,
      )}
    </div>`,
  );
const promiseCards = cards(promises);
const highlightCards = cards(highlights);

export function renderHome({ ctx, links, layout }: PageDeps): string {
  const snippet = `<script defer src="${ctx.backendUrl}/spur.js" data-code="YOUR_CODE"></script>`;
  return layout(
    {
      path: '/',
      title: 'Spur — privacy-friendly web analytics without cookies',
      fullTitle: true,
      description:
        'Spur is cookieless web analytics: clear statistics for your website without tracking people, hosted in Germany, with a Pirsch-compatible API.',
      section: 'home',
    },
    html`<section class="hero">
        <div class="wrap">
          <p class="eyebrow">Cookieless web analytics</p>
          <h1>Know how your website is doing,<br />not who your visitors are</h1>
          <p class="lead">
            Spur shows you where visitors come from, what they read and what they do, without cookies, without storing
            IP addresses and without a consent banner.
          </p>
          <div class="actions">
            <a class="btn btn-primary" href="${links.signup}">Start your ${TRIAL_DAYS}-day free trial</a
            ><a class="btn" href="${links.demo}" id="demo">See the live demo</a>
          </div>
          <p class="note">No credit card needed. Setup takes five minutes.</p>
          <img
            class="preview"
            src="/images/dashboard.svg"
            width="${PREVIEW_WIDTH}"
            height="${PREVIEW_HEIGHT}"
            alt="The Spur dashboard: visitors, page views, bounce rate and session length over 30 days, top pages and referrers"
          />
        </div>
      </section>
      <section class="section">
        <div class="wrap">
          <p class="eyebrow">The privacy promise</p>
          <h2>Private by design, not by setting</h2>
          ${promiseCards}
          <p><a href="/docs/privacy">What exactly Spur stores, and what it never stores →</a></p>
        </div>
      </section>
      <section class="section">
        <div class="wrap">
          <p class="eyebrow">Features</p>
          <h2>The numbers you need, nothing you have to dig for</h2>
          ${highlightCards}
          <p><a href="/features">All features →</a></p>
        </div>
      </section>
      <section class="section">
        <div class="wrap">
          <div class="prose">
            <p class="eyebrow">Setup</p>
            <h2>One line in your page’s head</h2>
            <p>
              Add the script, and page views, outbound links and downloads are counted, in single-page apps too. It is
              under 1.5 KB compressed and loads without slowing your page.
            </p>
            <pre><code>${snippet}</code></pre>
            <p><a href="/docs/getting-started">Read the getting-started guide →</a></p>
          </div>
        </div>
      </section>
      <section class="section hero">
        <div class="wrap">
          <h2>Try it on your own site</h2>
          <p class="lead">${TRIAL_DAYS} days free, then from ${formatEur(cheapest)} a month. Cancel any time.</p>
          <div class="actions">
            <a class="btn btn-primary" href="${links.signup}">Start free trial</a
            ><a class="btn" href="/pricing">See pricing</a>
          </div>
        </div>
      </section>`,
  );
}
