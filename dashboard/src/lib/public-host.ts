/**
 * On `<subdomain>.<PUBLIC_DASHBOARD_DOMAIN>` the dashboard's server marks the page with
 * `<meta name="spur-public-subdomain">` (dashboard/server/dashboard-server.ts): every path on such a
 * host shows that site's public dashboard, and nothing else of the app is reachable there.
 */
export function publicSubdomainOfPage(doc: Pick<Document, 'querySelector'> = document): string | undefined {
  const content = doc.querySelector<HTMLMetaElement>('meta[name="spur-public-subdomain"]')?.content.trim();
  return content && /^[a-z0-9-]{1,63}$/.test(content) ? content : undefined;
}
