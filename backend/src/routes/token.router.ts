import { Router } from 'express';
import { exchangeClientCredentials, type AccountsContext } from '@spur/accounts';

/**
 * Pirsch-compatible token endpoint: `{ client_id, client_secret }` → `{ access_token, expires_at }`.
 * The official SDKs call it on start and again whenever an API call answers 401.
 */
export function tokenRouter(accounts: AccountsContext) {
  const router = Router();
  router.post('/api/v1/token', async (req, res) => {
    res.json(await exchangeClientCredentials(accounts.db, accounts.redis, req.body, accounts.now()));
  });
  return router;
}
