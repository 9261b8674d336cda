export { startWebsite } from './server.ts';
export { createWebsiteApp, createWebsiteHandler, type WebsiteDeps } from './app.ts';
export { buildSite, type Site, type Route } from './site.ts';
export { baseHeaders } from './http/respond.ts';
export type { SiteContext } from './site-context.ts';
export {
  apiReference,
  type ApiEndpoint,
  type ApiField,
  type ApiReference,
  type MetricDefinition,
} from './content/api-reference.ts';
