import { z } from 'zod';

/** `GET /api/v1/domain`: query and answer (Pirsch's "domain" shape). */
export const domainQuery = z
  .object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,18}$/, 'must be an id')
      .optional(),
    search: z.string().max(253).optional().meta({ description: 'Only sites whose hostname contains this text.' }),
  })
  .strict();

export const domainSchema = z.object({
  id: z.string(),
  def_time: z.string(),
  mod_time: z.string(),
  user_id: z.string(),
  organization_id: z.string(),
  hostname: z.string(),
  hostnames: z.array(z.string()),
  subdomain: z.string(),
  identification_code: z.string(),
  public: z.boolean(),
  google_user_id: z.null(),
  google_user_email: z.null(),
  gsc_domain: z.null(),
  new_owner: z.null(),
  timezone: z.string(),
  group_by_title: z.boolean(),
  active_visitors_seconds: z.number(),
  disable_scripts: z.boolean(),
  statistics_start: z.null(),
  imported_statistics: z.boolean(),
  metadata: z.record(z.string(), z.unknown()),
  theme_id: z.string(),
  theme: z.record(z.string(), z.unknown()),
  custom_domain: z.null(),
  display_name: z.string(),
  user_role: z.string(),
  settings: z.record(z.string(), z.unknown()),
  theme_settings: z.record(z.string(), z.unknown()),
  pinned: z.boolean(),
  subscription_active: z.boolean(),
});
