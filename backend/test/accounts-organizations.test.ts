import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkIn } from '@spur/testkit';
import { DASHBOARD, signUpAndLogin, type Browser, useAccountsBackend } from './accounts-client.ts';

const b = useAccountsBackend();

async function newOrganization(owner: Browser, name: string): Promise<string> {
  const created = await owner.post('/api/v1/organizations', { name });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Invites `email` with `role`, and has that (already signed-up) person accept through the emailed link. */
async function inviteAndAccept(owner: Browser, orgId: string, invitee: Browser, email: string, role: string) {
  const invited = await owner.post(`/api/v1/organizations/${orgId}/invitations`, { email, role });
  expect(invited.status).toBe(201);
  const mail = await b.ses.waitForEmail(email, /You are invited/);
  const token = new URL(linkIn(mail, `${DASHBOARD}/invitations/accept`)).searchParams.get('token')!;
  const accepted = await invitee.post('/api/v1/invitations/accept', { token });
  expect(accepted.body).toEqual({ organization_id: orgId, role });
  return token;
}

describe('invitations', () => {
  it('when someone is invited, then the email names the organization and the link works once, only for the invited address', async () => {
    const owner = await signUpAndLogin(b, 'boss@org.example');
    const orgId = await newOrganization(owner, 'Initech');
    const invited = await owner.post(`/api/v1/organizations/${orgId}/invitations`, {
      email: 'Peter@Org.Example',
      role: 'admin',
    });
    expect(invited.body).toMatchObject({ organization_id: orgId, email: 'peter@org.example', role: 'admin' });
    const mail = await b.ses.waitForEmail('peter@org.example', /You are invited to Initech on Spur/);
    expect(mail.body.text).toContain('boss@org.example invited you to the organization Initech on Spur as admin.');
    const token = new URL(linkIn(mail, `${DASHBOARD}/invitations/accept?token=`)).searchParams.get('token')!;
    const { rows } = await b.t.stores.postgres.pool.query('SELECT 1 FROM invitation WHERE token_hash = $1', [
      createHash('sha256').update(token).digest(),
    ]);
    expect(rows).toHaveLength(1);

    const eavesdropper = await signUpAndLogin(b, 'milton@org.example');
    expect((await eavesdropper.post('/api/v1/invitations/accept', { token })).status).toBe(404);
    const peter = await signUpAndLogin(b, 'peter@org.example');
    expect((await peter.post('/api/v1/invitations/accept', { token })).body).toEqual({
      organization_id: orgId,
      role: 'admin',
    });
    expect((await peter.post('/api/v1/invitations/accept', { token })).status).toBe(404);
    expect(
      (await peter.get('/api/v1/organizations')).body.map((o: { name: string; role: string }) => `${o.name}:${o.role}`),
    ).toEqual(['Personal:owner', 'Initech:admin']);
    expect(
      (await owner.post(`/api/v1/organizations/${orgId}/invitations`, { email: 'peter@org.example' })).status,
    ).toBe(409);
  });

  it('when an invitation expired or was revoked, then it cannot be accepted', async () => {
    const owner = await signUpAndLogin(b, 'boss2@org.example');
    const orgId = await newOrganization(owner, 'Globex');
    const late = await signUpAndLogin(b, 'late@org.example');
    await owner.post(`/api/v1/organizations/${orgId}/invitations`, { email: 'late@org.example' });
    const token = new URL(
      linkIn(await b.ses.waitForEmail('late@org.example', /Globex/), `${DASHBOARD}/invitations/accept`),
    ).searchParams.get('token')!;
    await b.t.stores.postgres.pool.query(
      "UPDATE invitation SET expires_at = now() - interval '1 second' WHERE organization_id = $1",
      [orgId],
    );
    expect((await late.post('/api/v1/invitations/accept', { token })).status).toBe(404);

    const pending = await owner.post(`/api/v1/organizations/${orgId}/invitations`, { email: 'late@org.example' });
    expect(
      (await owner.get(`/api/v1/organizations/${orgId}/invitations`)).body.map((i: { id: string }) => i.id),
    ).toEqual([pending.body.id]);
    expect((await owner.delete(`/api/v1/organizations/${orgId}/invitations/${pending.body.id}`)).status).toBe(204);
    expect((await owner.get(`/api/v1/organizations/${orgId}/invitations`)).body).toEqual([]);
  });
});

describe('roles', () => {
  it('when an admin manages members, then they can change viewers and admins but never owners, and viewers change nothing', async () => {
    const owner = await signUpAndLogin(b, 'o@roles.example');
    const orgId = await newOrganization(owner, 'Roles Inc');
    const admin = await signUpAndLogin(b, 'a@roles.example');
    const viewer = await signUpAndLogin(b, 'v@roles.example');
    await inviteAndAccept(owner, orgId, admin, 'a@roles.example', 'admin');
    await inviteAndAccept(owner, orgId, viewer, 'v@roles.example', 'viewer');
    const members = (await owner.get(`/api/v1/organizations/${orgId}/members`)).body as {
      user_id: string;
      email: string;
      role: string;
    }[];
    const id = (email: string) => members.find((m) => m.email === email)!.user_id;

    expect(
      (await admin.post(`/api/v1/organizations/${orgId}/invitations`, { email: 'x@roles.example', role: 'owner' }))
        .status,
    ).toBe(403);
    expect(
      (await admin.put(`/api/v1/organizations/${orgId}/members/${id('v@roles.example')}`, { role: 'owner' })).status,
    ).toBe(403);
    expect(
      (await admin.put(`/api/v1/organizations/${orgId}/members/${id('o@roles.example')}`, { role: 'viewer' })).status,
    ).toBe(403);
    expect((await admin.delete(`/api/v1/organizations/${orgId}/members/${id('o@roles.example')}`)).status).toBe(403);
    // A bad role is blamed on `role`, whatever its type (issue 13: it was blamed on `body`).
    for (const role of ['superuser', 7, null]) {
      const bad = await admin.put(`/api/v1/organizations/${orgId}/members/${id('v@roles.example')}`, { role });
      expect([bad.status, bad.body.field]).toEqual([400, 'role']);
    }
    expect(
      (await admin.put(`/api/v1/organizations/${orgId}/members/${id('v@roles.example')}`, { role: 'admin' })).status,
    ).toBe(200);
    expect((await viewer.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'v.example.com' })).status).toBe(201); // now admin
    expect(
      (await admin.put(`/api/v1/organizations/${orgId}/members/${id('v@roles.example')}`, { role: 'viewer' })).status,
    ).toBe(200);
    expect((await viewer.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'w.example.com' })).status).toBe(403);
    expect((await viewer.patch(`/api/v1/organizations/${orgId}`, { name: 'Mine now' })).status).toBe(403);
    expect((await admin.delete(`/api/v1/organizations/${orgId}`)).status).toBe(403);
    expect((await admin.delete(`/api/v1/organizations/${orgId}/members/${id('v@roles.example')}`)).status).toBe(204);
    expect((await viewer.get(`/api/v1/organizations/${orgId}`)).status).toBe(404);
  });

  it('when the last owner tries to leave or step down, then it is refused until there is another owner', async () => {
    const owner = await signUpAndLogin(b, 'solo@roles.example');
    const orgId = await newOrganization(owner, 'Solo');
    const me = (await owner.get('/api/v1/account')).body.id;
    const leave = await owner.post(`/api/v1/organizations/${orgId}/leave`);
    expect(leave.status).toBe(409);
    expect(leave.body.error).toBe('the last owner cannot leave; make someone else owner or delete the organization');
    expect((await owner.put(`/api/v1/organizations/${orgId}/members/${me}`, { role: 'admin' })).status).toBe(409);

    const heir = await signUpAndLogin(b, 'heir@roles.example');
    await inviteAndAccept(owner, orgId, heir, 'heir@roles.example', 'owner');
    expect((await owner.post(`/api/v1/organizations/${orgId}/leave`)).status).toBe(204);
    expect(
      (await heir.get(`/api/v1/organizations/${orgId}/members`)).body.map(
        (m: { email: string; role: string }) => `${m.email}:${m.role}`,
      ),
    ).toEqual(['heir@roles.example:owner']);
  });
});

describe('audit log', () => {
  it('records security-relevant actions of the organization with their actor, newest first, for admins only', async () => {
    const owner = await signUpAndLogin(b, 'audit@org.example');
    const orgId = await newOrganization(owner, 'Audited');
    const site = (await owner.post(`/api/v1/organizations/${orgId}/sites`, { hostname: 'audited.example.com' })).body;
    await owner.post(`/api/v1/sites/${site.id}/filters`, { type: 'country', value: 'FR' });
    const client = (await owner.post(`/api/v1/organizations/${orgId}/clients`, { name: 'ci' })).body;
    await owner.delete(`/api/v1/organizations/${orgId}/clients/${client.id}`);
    await owner.post(`/api/v1/organizations/${orgId}/invitations`, { email: 'newbie@org.example', role: 'viewer' });
    await owner.patch(`/api/v1/organizations/${orgId}`, { name: 'Audited GmbH' });
    const log = (await owner.get(`/api/v1/organizations/${orgId}/audit-log`)).body as {
      action: string;
      actor_email: string;
      details: Record<string, unknown>;
    }[];
    expect(log.map((e) => e.action)).toEqual([
      'organization.renamed',
      'member.invited',
      'api_client.revoked',
      'api_client.created',
      'site.filter_added',
      'site.created',
      'organization.created',
    ]);
    expect(log.every((e) => e.actor_email === 'audit@org.example')).toBe(true);
    expect(log[1]!.details).toEqual({ email: 'newbie@org.example', role: 'viewer' });
    expect(JSON.stringify(log)).not.toContain(client.client_secret);
  });
});
