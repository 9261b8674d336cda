import { z } from 'zod/mini';

/** Response shapes of the accounts API (backend/src/routes), validated where they enter the app. */
export const roleSchema = z.enum(['owner', 'admin', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.looseObject({
  id: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  two_factor_enabled: z.boolean(),
  created_at: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const organizationSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  personal: z.boolean(),
  role: roleSchema,
  created_at: z.string(),
});
export type Organization = z.infer<typeof organizationSchema>;

export const sessionSchema = z.union([
  z.looseObject({
    user: userSchema,
    csrf_token: z.string(),
    expires_at: z.string(),
    organizations: z.array(organizationSchema),
  }),
  // Signed out: the backend answers 200 with no user rather than a 401 in every console.
  z.looseObject({ user: z.null() }),
]);

export const loginAnswerSchema = z.union([
  z.looseObject({ two_factor_required: z.literal(true), challenge: z.string() }),
  z.looseObject({ user: userSchema, csrf_token: z.string(), expires_at: z.string() }),
]);

export const siteSchema = z.looseObject({
  id: z.string(),
  organization_id: z.string(),
  hostname: z.string(),
  name: z.string(),
  identification_code: z.string(),
  timezone: z.string(),
  public: z.boolean(),
  subdomain: z.nullable(z.string()),
  hostnames: z.array(z.string()),
  /** `rollup`: a view combining `member_ids`, with no traffic, snippet or domain of its own. */
  kind: z.optional(z.enum(['site', 'rollup'])),
  member_ids: z.optional(z.array(z.string())),
  created_at: z.string(),
});
export type Site = z.infer<typeof siteSchema>;

/** What shared and public dashboards learn about a site. */
export const publicSiteSchema = z.looseObject({
  id: z.string(),
  hostname: z.string(),
  name: z.string(),
  timezone: z.string(),
  kind: z.optional(z.enum(['site', 'rollup'])),
  logo_url: z.optional(z.nullable(z.string())),
});
export type PublicSite = z.infer<typeof publicSiteSchema>;

export const memberSchema = z.looseObject({
  user_id: z.string(),
  email: z.string(),
  role: roleSchema,
  joined_at: z.string(),
});
export type Member = z.infer<typeof memberSchema>;
export const invitationSchema = z.looseObject({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  expires_at: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const trafficFilterSchema = z.looseObject({
  id: z.string(),
  type: z.enum(['ip', 'path', 'country']),
  value: z.string(),
  description: z.string(),
});
export type TrafficFilter = z.infer<typeof trafficFilterSchema>;

export const accessLinkSchema = z.looseObject({
  id: z.string(),
  description: z.string(),
  password_protected: z.boolean(),
  expires_at: z.nullable(z.string()),
  created_at: z.string(),
  last_used_at: z.nullable(z.string()),
  url: z.optional(z.string()),
});
export type AccessLink = z.infer<typeof accessLinkSchema>;

export const apiClientSchema = z.looseObject({
  id: z.string(),
  site_id: z.nullable(z.string()),
  type: z.enum(['client', 'access_key']),
  name: z.string(),
  client_id: z.nullable(z.string()),
  created_at: z.string(),
  client_secret: z.optional(z.string()),
  access_key: z.optional(z.string()),
});
export type ApiClient = z.infer<typeof apiClientSchema>;

export const goalSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  path_pattern: z.string(),
  pattern: z.string(),
  event_name: z.string(),
  event_meta_key: z.optional(z.string()),
  event_meta_value: z.optional(z.string()),
  visitor_goal: z.optional(z.nullable(z.number())),
  cr_goal: z.optional(z.nullable(z.number())),
  custom_metric_key: z.optional(z.string()),
  custom_metric_type: z.optional(z.string()),
  /** ISO 4217 code when the custom metric is money; '' for a plain number. */
  currency: z.optional(z.string()),
});
export type Goal = z.infer<typeof goalSchema>;

export const funnelSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  steps: z.array(
    z.looseObject({
      name: z.string(),
      step: z.number(),
      filter: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    }),
  ),
});
export type Funnel = z.infer<typeof funnelSchema>;

export const emailReportSchema = z.looseObject({
  id: z.string(),
  email: z.string(),
  interval: z.enum(['daily', 'weekly', 'monthly']),
  last_sent_at: z.nullable(z.string()),
});
export type EmailReport = z.infer<typeof emailReportSchema>;

export const authSessionSchema = z.looseObject({
  id: z.string(),
  user_agent: z.string(),
  created_at: z.string(),
  last_seen_at: z.string(),
  current: z.boolean(),
});
export type AuthSession = z.infer<typeof authSessionSchema>;
