import { z } from 'zod/mini';
import { request } from './http.ts';

/** The hostname shield and the requests ingest did not count (backend: site-settings.router.ts). */
export const allowedHostnamesSchema = z.looseObject({
  hostnames: z.array(z.string()),
  effective: z.array(z.string()),
  default: z.boolean(),
});
export type AllowedHostnames = z.infer<typeof allowedHostnamesSchema>;

export const droppedRequestsSchema = z.looseObject({
  days: z.number(),
  reasons: z.array(z.looseObject({ reason: z.string(), count: z.number() })),
});
export type DroppedRequests = z.infer<typeof droppedRequestsSchema>;

const id = encodeURIComponent;

export const hostnameShieldApi = {
  allowed: (siteId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/allowed-hostnames`, { schema: allowedHostnamesSchema }),
  setAllowed: (siteId: string, hostnames: string[]) =>
    request('PUT', `/api/v1/sites/${id(siteId)}/allowed-hostnames`, {
      body: { hostnames },
      schema: allowedHostnamesSchema,
    }),
  dropped: (siteId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/dropped-requests`, { schema: droppedRequestsSchema }),
};
