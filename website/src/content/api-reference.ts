/**
 * The REST API reference as data. The docs page at /docs/api is rendered from this list, so the
 * statistics work can replace it with entries generated from the backend's OpenAPI document (and a
 * test can compare it with the route table) without touching any template. For now it lists the
 * ingest and token endpoints, which follow Pirsch's API v1 field for field.
 */

export type ApiField = {
  name: string;
  type: string;
  required: boolean;
  description: string;
};

export type ApiEndpoint = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Headings group endpoints on the page, in order of first appearance. */
  group: string;
  summary: string;
  description: string;
  auth: string;
  /**
   * `array`: the body is a JSON array of objects with these fields. `extends` names an endpoint
   * whose body fields all appear here too, so the page shows only what is added.
   */
  body?: { kind: 'object' | 'array'; fields: readonly ApiField[]; extends?: string };
  query?: readonly ApiField[];
  responses: readonly { status: number; description: string }[];
};

export type MetricDefinition = { name: string; definition: string };

export type ApiReference = {
  endpoints: readonly ApiEndpoint[];
  metrics: readonly MetricDefinition[];
};

const field = (name: string, type: string, description: string, required = false): ApiField => ({
  name,
  type,
  required,
  description,
});

const writeAuth =
  "Bearer token: an access key (`pa_…`) or an API client's access token. Browser requests from spur.js send `identification_code` in the body instead.";

const visitorFields: readonly ApiField[] = [
  field(
    'ip',
    'string',
    "The visitor's IP address (not your server's). Used for the visitor id and location, then discarded. Server-side requests must send it; for browsers it is read from the connection.",
  ),
  field(
    'user_agent',
    'string',
    "The visitor's User-Agent header. Server-side requests must send it (without one the request counts as a bot); for browsers it is read from the request.",
  ),
  field(
    'identification_code',
    'string',
    "The site's identification code; browser requests only, instead of a bearer token.",
  ),
];

const hitFields: readonly ApiField[] = [
  field('url', 'string', 'Full URL of the page, including the query string (UTM parameters are read from it).', true),
  ...visitorFields,
  field('accept_language', 'string', 'The Accept-Language header; the first language is stored.'),
  field('sec_ch_ua', 'string', 'The Sec-CH-UA client hint header.'),
  field('sec_ch_ua_mobile', 'string', 'The Sec-CH-UA-Mobile client hint header.'),
  field('sec_ch_ua_platform', 'string', 'The Sec-CH-UA-Platform client hint header.'),
  field('sec_ch_ua_platform_version', 'string', 'The Sec-CH-UA-Platform-Version client hint header.'),
  field('sec_ch_width', 'string', 'The Sec-CH-Width client hint header.'),
  field('sec_ch_viewport_width', 'string', 'The Sec-CH-Viewport-Width client hint header.'),
  field('title', 'string', 'The page title.'),
  field('referrer', 'string', 'The referrer URL; its query string is dropped.'),
  field('screen_width', 'integer', 'Screen width in CSS pixels; stored as a screen class.'),
  field('screen_height', 'integer', 'Screen height in CSS pixels.'),
  field('tags', 'object', 'Tags as key/value pairs, for example `{ "author": "kim" }`; at most 30.'),
  field(
    'disable_bot_filter',
    'boolean',
    'Accepted for compatibility with the Pirsch SDKs and ignored: Spur always filters bots.',
  ),
];

const eventFields: readonly ApiField[] = [
  field(
    'event_name',
    'string',
    'Name of the event, for example `Purchase`. Case-sensitive, at most 200 characters.',
    true,
  ),
  field(
    'event_meta',
    'object',
    'Metadata as key/value pairs (at most 30); strings, numbers and booleans, stored as strings.',
  ),
  field('event_duration', 'number', 'A duration in seconds.'),
  field('non_interactive', 'boolean', 'When true, the event does not turn a bounce into an engaged session.'),
  ...hitFields,
];

const sessionFields: readonly ApiField[] = [...visitorFields, field('url', 'string', 'The page the visitor is on.')];

const time = field(
  'time',
  'string',
  'When it happened, ISO 8601 with a time zone, for example `2026-11-23T08:15:00Z`. Between 00:00 UTC yesterday and now: visitor ids need the salt of that day, and older salts are deleted.',
  true,
);

const accepted = {
  status: 202,
  description: 'Accepted, with an empty body. Requests from bots are accepted but not counted.',
};
const ingestErrors = [
  { status: 400, description: 'Malformed body: `{ "error": "…", "field": "…" }` names the first invalid field.' },
  { status: 401, description: 'Missing, unknown, revoked or expired token.' },
  { status: 404, description: 'No site matches the token, identification code or hostname.' },
  { status: 413, description: 'Body larger than 64 KB (4 MB for batches).' },
  { status: 503, description: 'Spur is catching up under load; retry after `Retry-After` seconds.' },
];
const batchAccepted = {
  status: 202,
  description:
    '`{ "accepted": 2, "dropped": 1, "rejected": [{ "index": 3, "error": "…" }] }`: how many items were counted, dropped as bots or filtered, and which were refused.',
};

function ingest(
  kind: 'hit' | 'event' | 'session',
  summary: string,
  description: string,
  fields: readonly ApiField[],
  extendsPath?: string,
): ApiEndpoint[] {
  return [
    {
      method: 'POST',
      path: `/api/v1/${kind}`,
      group: 'Ingest',
      summary,
      description,
      auth: writeAuth,
      body: { kind: 'object', fields, ...(extendsPath ? { extends: extendsPath } : {}) },
      responses: [accepted, ...ingestErrors],
    },
    {
      method: 'POST',
      path: `/api/v1/${kind}/batch`,
      group: 'Ingest',
      summary: `${summary} (batch)`,
      description: `The batch form of \`/api/v1/${kind}\`: a JSON array of up to 500 of the same objects, each with the \`time\` it happened, processed in order. Server-side only.`,
      auth: "Bearer token: an access key (`pa_…`) or an API client's access token.",
      body: {
        kind: 'array',
        fields: [time, ...fields.filter((f) => f.name !== 'identification_code')],
        extends: `/api/v1/${kind}`,
      },
      responses: [batchAccepted, ...ingestErrors],
    },
  ];
}

export const apiReference: ApiReference = {
  endpoints: [
    {
      method: 'POST',
      path: '/api/v1/token',
      group: 'Authentication',
      summary: 'Get an access token',
      description:
        "Exchanges an API client's id and secret for a short-lived bearer access token. Access keys (`pa_…`) need no exchange.",
      auth: 'None; the client credentials are in the body.',
      body: {
        kind: 'object',
        fields: [
          field('client_id', 'string', 'The API client id (32 characters).', true),
          field('client_secret', 'string', 'The API client secret (64 characters).', true),
        ],
      },
      responses: [
        {
          status: 200,
          description: '`{ "access_token": "…", "expires_at": "…" }`; send the token as `Authorization: Bearer …`.',
        },
        { status: 400, description: 'Malformed body; the JSON answer names the invalid field.' },
        { status: 401, description: 'Unknown client or wrong secret.' },
        { status: 429, description: 'Too many attempts for this client id; wait and retry.' },
      ],
    },
    ...ingest(
      'hit',
      'Send a page view',
      "Counts a page view and starts or continues the visitor's session.",
      hitFields,
    ),
    {
      method: 'GET',
      path: '/api/v1/hit',
      group: 'Ingest',
      summary: 'Send a page view from a browser (query string)',
      description:
        "The form Pirsch's browser client (`pirsch-sdk/web`) uses: the page view in short query parameters. The visitor's IP address, user agent and language are read from the request itself.",
      auth: 'None; the identification code is a query parameter.',
      query: [
        field('code', 'string', "The site's identification code.", true),
        field('url', 'string', 'Full URL of the page.', true),
        field('t', 'string', 'The page title.'),
        field('ref', 'string', 'The referrer URL.'),
        field('w', 'integer', 'Screen width in CSS pixels.'),
        field('h', 'integer', 'Screen height in CSS pixels.'),
        field('tag_<name>', 'string', 'A tag, for example `tag_author=kim`.'),
        field('nc', 'string', 'Cache buster some clients add so that no cache answers the request; ignored.'),
      ],
      responses: [accepted, ...ingestErrors.filter((r) => r.status !== 401 && r.status !== 413)],
    },
    ...ingest(
      'event',
      'Send an event',
      'Records a custom event on a page, with optional metadata and duration.',
      eventFields,
      '/api/v1/hit',
    ),
    ...ingest(
      'session',
      'Keep a session alive',
      "Extends the visitor's current session without counting a page view.",
      sessionFields,
    ),
  ],
  metrics: [
    {
      name: 'visitors',
      definition:
        'Distinct visitor ids in the period. Visitor ids change daily, so one person visiting on two days counts twice.',
    },
    {
      name: 'sessions',
      definition:
        'Distinct (visitor, session) pairs. A session ends after 30 minutes without activity, after 24 hours, or when the visitor arrives from a new referrer or campaign.',
    },
    { name: 'views', definition: 'Page views.' },
    { name: 'bounces', definition: 'Sessions with one page view and no interactive event.' },
    { name: 'bounce_rate', definition: 'Bounces divided by sessions.' },
    { name: 'cr', definition: 'Conversion rate: visitors who reached the goal divided by all visitors.' },
    {
      name: 'average_session_duration',
      definition: 'Mean time from the first to the last page view or event of a session, in seconds.',
    },
    {
      name: 'average_time_on_page',
      definition:
        'Mean time from a page view to the next page view in the same session, in seconds. The last page of a session has no time on page.',
    },
    {
      name: 'relative_*',
      definition:
        "A row's share of the period's total, for example relative_visitors = visitors of this page / all visitors.",
    },
  ],
};
