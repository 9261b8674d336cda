// For other routers (statistics): who is calling, and the JSON answer for domain errors.
export { resolveCaller, requireUser } from './caller.middleware.ts';
export { accountsErrorHandler } from './accounts-errors.ts';
export { accountsApi, createBackendAccounts, ACCOUNT_PATHS, type AccountsApiConfig } from './accounts-api.ts';
