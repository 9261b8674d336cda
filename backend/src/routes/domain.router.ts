import { Router } from 'express';
import { getReadableSite, type AccountsContext } from '@spur/accounts';
import { domainQuery, listDomains, toDomain } from '@spur/api-spec';
import { notReadable } from '../auth/caller.middleware.ts';
import { HttpError } from '../http/errors.ts';
import { badQueryParam } from '../http/pirsch-errors.ts';

/**
 * `GET /api/v1/domain`: the sites the caller may read, in Pirsch's "domain" shape. With `?id=`
 * the one site as an object (404 when the caller may not read it).
 */
export function domainRouter(accounts: AccountsContext) {
  const router = Router();
  router.get('/api/v1/domain', async (req, res) => {
    const parsed = domainQuery.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      if (issue.code === 'unrecognized_keys') throw badQueryParam(issue.keys[0]!, 'is not a known parameter');
      throw badQueryParam(String(issue.path[0]), issue.message);
    }
    const { id, search } = parsed.data;
    if (id) {
      const site = await getReadableSite(accounts.db, req.caller, id);
      if (!site) throw notReadable(req.caller);
      res.json(await toDomain(accounts, req.caller, site));
      return;
    }
    if (req.caller.kind === 'anonymous') throw new HttpError(401, 'send an access token or sign in');
    res.json(await listDomains(accounts, req.caller, search));
  });
  return router;
}
