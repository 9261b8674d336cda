/**
 * What a customer types as their domain, the way the backend will store it: a pasted address
 * ("https://www.shop.example/pricing") loses its scheme, port, path and trailing dot, and a `www.`
 * name has a bare twin whose visits would otherwise not count.
 */
export type TypedHostname = { hostname: string; changed: boolean; bare?: string };

export function readHostname(typed: string): TypedHostname {
  const trimmed = typed.trim();
  const hostname = trimmed
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '');
  const bare = hostname.startsWith('www.') && hostname.split('.').length > 2 ? hostname.slice(4) : undefined;
  return { hostname, changed: hostname !== trimmed, ...(bare ? { bare } : {}) };
}
