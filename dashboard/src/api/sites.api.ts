import { z } from 'zod/mini';
import { request } from './http.ts';
import {
  accessLinkSchema,
  apiClientSchema,
  emailReportSchema,
  funnelSchema,
  goalSchema,
  invitationSchema,
  memberSchema,
  organizationSchema,
  publicSiteSchema,
  siteSchema,
  trafficFilterSchema,
  type Role,
} from './accounts.schemas.ts';

const id = encodeURIComponent;

/** Organizations, sites and their settings: the routers under backend/src/routes. */
export const sitesApi = {
  organizations: () => request('GET', '/api/v1/organizations', { schema: z.array(organizationSchema) }),
  createOrganization: (name: string) =>
    request('POST', '/api/v1/organizations', { body: { name }, schema: organizationSchema }),
  renameOrganization: (orgId: string, name: string) =>
    request('PATCH', `/api/v1/organizations/${id(orgId)}`, { body: { name } }),
  leaveOrganization: (orgId: string) => request('POST', `/api/v1/organizations/${id(orgId)}/leave`),
  list: (orgId: string) => request('GET', `/api/v1/organizations/${id(orgId)}/sites`, { schema: z.array(siteSchema) }),
  create: (orgId: string, body: { hostname: string; name?: string; timezone: string }) =>
    request('POST', `/api/v1/organizations/${id(orgId)}/sites`, { body, schema: siteSchema }),
  get: (siteId: string) => request('GET', `/api/v1/sites/${id(siteId)}`, { schema: siteSchema }),
  createRollup: (orgId: string, body: { name: string; timezone: string; site_ids: string[] }) =>
    request('POST', `/api/v1/organizations/${id(orgId)}/rollups`, { body, schema: siteSchema }),
  setRollupMembers: (siteId: string, siteIds: string[]) =>
    request('PUT', `/api/v1/sites/${id(siteId)}/rollup-members`, { body: { site_ids: siteIds }, schema: siteSchema }),
  update: (
    siteId: string,
    body: Partial<{ hostname: string; name: string; timezone: string; public: boolean; subdomain: string | null }>,
  ) => request('PATCH', `/api/v1/sites/${id(siteId)}`, { body, schema: siteSchema }),
  setHostnames: (siteId: string, hostnames: string[]) =>
    request('PUT', `/api/v1/sites/${id(siteId)}/hostnames`, { body: { hostnames }, schema: siteSchema }),
  regenerateCode: (siteId: string) =>
    request('POST', `/api/v1/sites/${id(siteId)}/identification-code`, { schema: siteSchema }),
  snippet: (siteId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/snippet`, { schema: z.looseObject({ snippet: z.string() }) }),
  remove: (siteId: string) => request('DELETE', `/api/v1/sites/${id(siteId)}`),
  deleteData: (siteId: string, from: string, to: string) =>
    request('POST', `/api/v1/sites/${id(siteId)}/data/delete`, { body: { from, to } }),

  members: (orgId: string) =>
    request('GET', `/api/v1/organizations/${id(orgId)}/members`, { schema: z.array(memberSchema) }),
  changeRole: (orgId: string, userId: string, role: Role) =>
    request('PUT', `/api/v1/organizations/${id(orgId)}/members/${id(userId)}`, {
      body: { role },
      schema: z.array(memberSchema),
    }),
  removeMember: (orgId: string, userId: string) =>
    request('DELETE', `/api/v1/organizations/${id(orgId)}/members/${id(userId)}`),
  invitations: (orgId: string) =>
    request('GET', `/api/v1/organizations/${id(orgId)}/invitations`, { schema: z.array(invitationSchema) }),
  invite: (orgId: string, email: string, role: Role) =>
    request('POST', `/api/v1/organizations/${id(orgId)}/invitations`, {
      body: { email, role },
      schema: invitationSchema,
    }),
  revokeInvitation: (orgId: string, invitationId: string) =>
    request('DELETE', `/api/v1/organizations/${id(orgId)}/invitations/${id(invitationId)}`),
  acceptInvitation: (token: string) =>
    request('POST', '/api/v1/invitations/accept', {
      body: { token },
      schema: z.looseObject({ organization_id: z.string(), role: z.string() }),
    }),

  trafficFilters: (siteId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/filters`, { schema: z.array(trafficFilterSchema) }),
  addTrafficFilter: (siteId: string, body: { type: string; value: string; description: string }) =>
    request('POST', `/api/v1/sites/${id(siteId)}/filters`, { body, schema: trafficFilterSchema }),
  removeTrafficFilter: (siteId: string, filterId: string) =>
    request('DELETE', `/api/v1/sites/${id(siteId)}/filters/${id(filterId)}`),

  accessLinks: (siteId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/access-links`, { schema: z.array(accessLinkSchema) }),
  createAccessLink: (siteId: string, body: { description: string; password?: string; expires_at?: string }) =>
    request('POST', `/api/v1/sites/${id(siteId)}/access-links`, { body, schema: accessLinkSchema }),
  revokeAccessLink: (siteId: string, linkId: string) =>
    request('DELETE', `/api/v1/sites/${id(siteId)}/access-links/${id(linkId)}`),

  emailReports: (siteId: string) =>
    request('GET', `/api/v1/sites/${id(siteId)}/email-reports`, { schema: z.array(emailReportSchema) }),
  addEmailReport: (siteId: string, email: string, interval: string) =>
    request('POST', `/api/v1/sites/${id(siteId)}/email-reports`, {
      body: { email, interval },
      schema: emailReportSchema,
    }),
  removeEmailReport: (siteId: string, reportId: string) =>
    request('DELETE', `/api/v1/sites/${id(siteId)}/email-reports/${id(reportId)}`),

  apiClients: (orgId: string) =>
    request('GET', `/api/v1/organizations/${id(orgId)}/clients`, { schema: z.array(apiClientSchema) }),
  createApiClient: (orgId: string, body: { name: string; type: 'client' | 'access_key'; site_id?: string | null }) =>
    request('POST', `/api/v1/organizations/${id(orgId)}/clients`, { body, schema: apiClientSchema }),
  revokeApiClient: (orgId: string, clientId: string) =>
    request('DELETE', `/api/v1/organizations/${id(orgId)}/clients/${id(clientId)}`),

  goals: (siteId: string) => request('GET', '/api/v1/goal', { query: { id: siteId }, schema: z.array(goalSchema) }),
  createGoal: (siteId: string, goal: Record<string, unknown>) =>
    request('POST', '/api/v1/goal', { body: { domain_id: siteId, ...goal }, schema: goalSchema }),
  deleteGoal: (goalId: string) => request('DELETE', '/api/v1/goal', { query: { id: goalId } }),
  funnels: (siteId: string) =>
    request('GET', '/api/v1/funnel', { query: { id: siteId }, schema: z.array(funnelSchema) }),
  createFunnel: (siteId: string, funnel: { name: string; steps: { name: string; filter: Record<string, string> }[] }) =>
    request('POST', '/api/v1/funnel', { body: { domain_id: siteId, ...funnel }, schema: funnelSchema }),
  deleteFunnel: (funnelId: string) => request('DELETE', '/api/v1/funnel', { query: { id: funnelId } }),

  openShare: (token: string, password?: string) =>
    request('POST', '/api/v1/share', {
      body: { token, ...(password ? { password } : {}) },
      schema: z.looseObject({ grant: z.string(), site_id: z.string(), site: z.optional(publicSiteSchema) }),
    }),
  publicSite: (subdomain: string) =>
    request('GET', `/api/v1/public/${id(subdomain)}`, { schema: z.looseObject({ site: publicSiteSchema }) }),
};
