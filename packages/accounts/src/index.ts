// Context and errors
export {
  createAccountsContext,
  accountLinks,
  type AccountsContext,
  type RequestMeta,
  type AccountLinks,
} from './context.ts';
export { AccountsError, type AccountsErrorCode } from './errors.ts';
export { withTransaction, isId, type Db } from './db.ts';

// Access: who may read or ingest for a site (used by the statistics and ingest code)
export {
  authenticateBearer,
  lookupBearer,
  exchangeClientCredentials,
  tokenRequestSchema,
  ACCESS_TOKEN_LIFETIME_SECONDS,
  type ApiPrincipal,
} from './api-clients/bearer.ts';
export { API_CLIENT_REVOKED_CHANNEL } from './api-clients/api-client.service.ts';
export {
  canReadSite,
  getReadableSite,
  listReadableSites,
  canIngestSite,
  type Caller,
  type UserPrincipal,
  type AccessLinkPrincipal,
  type AnonymousPrincipal,
} from './access/site-access.ts';
export { requireRole, requireSiteRole, getMemberRole, roleAtLeast, ROLES, type Role } from './access/roles.ts';

// Sites and their settings
export {
  findSite,
  findSiteBySubdomain,
  SITE_SETTINGS_CHANNEL,
  type SiteView,
  type SiteKind,
} from './sites/site.repository.ts';
export {
  createRollup,
  setRollupMembers,
  createRollupSchema,
  rollupMembersSchema,
  MAX_ROLLUP_MEMBERS,
} from './sites/rollup.service.ts';
export {
  createSite,
  listSites,
  getSite,
  updateSite,
  setSiteHostnames,
  regenerateIdentificationCode,
  trackingSnippet,
  deleteSite,
  deleteSiteData,
  createSiteSchema,
  updateSiteSchema,
  hostnamesSchema,
  deleteDataSchema,
} from './sites/site.service.ts';
export { normalizeHostname, normalizeSubdomain } from './sites/hostname.ts';
export { canonicalTimeZone, isValidTimeZone, timeZoneNames } from './sites/time-zones.ts';
export { deleteSitesStatistics } from './sites/site-data.service.ts';
export { deleteSiteStatistics } from './sites/statistics-deletion.service.ts';
export {
  activeDeletions,
  isDeletedEntry,
  RAW_PARTITIONS,
  RAW_STREAM_PREFIX,
  STATISTICS_DELETIONS_KEY,
  type StatisticsDeletion,
} from './sites/session-state.ts';
export { compilePathPattern, matchPathGlob, parsePathGlob, type PathGlob } from './sites/path-glob.ts';
export { re2Problem, strictRe2Problem } from './goals/re2-pattern.ts';
export {
  hostnameAllowed,
  getAllowedHostnames,
  setAllowedHostnames,
  allowedHostnamesSchema,
  type HostnameRules,
  type AllowedHostnamesView,
} from './sites/hostname-shield.ts';
export { droppedRequests, type DroppedRequests } from './sites/dropped-requests.service.ts';
export {
  getSiteIngestSettings,
  listTrafficFilters,
  addTrafficFilter,
  removeTrafficFilter,
  trafficFilterSchema,
  type SiteIngestSettings,
  type TrafficFilterView,
} from './sites/traffic-filter.service.ts';
export {
  createAccessLink,
  listAccessLinks,
  revokeAccessLink,
  openAccessLink,
  authenticateAccessLink,
  createAccessLinkSchema,
  type AccessLinkView,
} from './sites/access-link.service.ts';

// API clients
export {
  createApiClient,
  listApiClients,
  revokeApiClient,
  createApiClientSchema,
  ACCESS_KEY_PREFIX,
  type ApiClientView,
  type CreatedApiClient,
} from './api-clients/api-client.service.ts';

// Users and sessions
export { signUp, verifyEmail, resendVerification, signUpSchema } from './users/signup.service.ts';
export {
  login,
  completeSecondFactor,
  loginSchema,
  secondFactorSchema,
  type LoginResult,
} from './users/login.service.ts';
export {
  requestPasswordReset,
  resetPassword,
  changePassword,
  resetPasswordSchema,
  changePasswordSchema,
} from './users/password.service.ts';
export { requestEmailChange, confirmEmailChange, changeEmailSchema } from './users/email-change.service.ts';
export {
  startTwoFactorSetup,
  enableTwoFactor,
  disableTwoFactor,
  regenerateRecoveryCodes,
} from './users/two-factor.service.ts';
export { deleteAccount, deleteAccountSchema } from './users/delete-account.service.ts';
export {
  findUserById,
  findUserByEmail,
  toPublicUser,
  normalizeEmail,
  emailSchema,
  type PublicUser,
} from './users/user.repository.ts';
export {
  createSession,
  authenticateSession,
  endSession,
  listSessions,
  revokeSession,
  revokeOtherSessions,
  csrfTokenFor,
  type AuthenticatedSession,
  type NewSession,
  type SessionInfo,
} from './sessions/session.service.ts';

// Organizations
export {
  createOrganization,
  listOrganizations,
  getOrganization,
  renameOrganization,
  deleteOrganization,
  insertOrganization,
  type OrganizationView,
} from './organizations/organization.service.ts';

export {
  listMembers,
  countMembers,
  changeMemberRole,
  removeMember,
  leaveOrganization,
  roleSchema,
  type MemberView,
} from './organizations/member.service.ts';
export {
  inviteMember,
  listInvitations,
  revokeInvitation,
  acceptInvitation,
  inviteSchema,
  INVITATION_LIFETIME_DAYS,
  type InvitationView,
} from './organizations/invitation.service.ts';

// Goals, funnels, email reports
export {
  listGoals,
  getGoal,
  createGoal,
  updateGoal,
  deleteGoal,
  siteOfGoal,
  goalSchema,
  type GoalView,
} from './goals/goal.service.ts';
export {
  listAnnotations,
  createAnnotation,
  deleteAnnotation,
  annotationSchema,
  type AnnotationView,
} from './annotations/annotation.service.ts';
export {
  listFunnels,
  getFunnel,
  createFunnel,
  updateFunnel,
  deleteFunnel,
  siteOfFunnel,
  funnelSchema,
  type FunnelView,
  type FunnelStepView,
} from './goals/funnel.service.ts';
export {
  listEmailReports,
  emailReportsOfSite,
  addEmailReport,
  changeEmailReport,
  removeEmailReport,
  emailReportSchema,
  changeEmailReportSchema,
  type EmailReportView,
} from './sites/email-report.service.ts';

// Audit, rate limits, primitives
export { recordAudit, listAuditLog, type AuditAction, type AuditEntry } from './audit/audit.service.ts';
export { enforceRateLimit, hitRateLimit, RATE_LIMITS, type RateLimitPolicy } from './rate-limit/rate-limiter.ts';
export { hashPassword, verifyPassword } from './crypto/password-hash.ts';
export { checkPassword, PASSWORD_MIN_LENGTH } from './passwords/password-policy.ts';
export { hotp, totp, verifyTotp, generateTotpSecret, otpauthUrl } from './totp/totp.ts';
export { base32Decode, base32Encode } from './totp/base32.ts';

// Admin CLI
export { runAdminCommand, adminHelp, parseOptions, ADMIN_COMMANDS } from './admin/admin-commands.ts';
