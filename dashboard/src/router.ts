import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session.store.ts';
import { publicSubdomainOfPage } from './lib/public-host.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in user; others are sent to /login and brought back after. */
    auth?: boolean;
    /** Only for signed-out visitors (login, sign-up): a signed-in user goes to the sites. */
    guest?: boolean;
    title?: string;
  }
}

// Only the sites overview and the login screen are in the first download; everything else loads on demand.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'sites', component: () => import('./views/SitesView.vue'), meta: { auth: true, title: 'Sites' } },
  {
    path: '/sites/new',
    name: 'site-new',
    component: () => import('./views/NewSiteView.vue'),
    meta: { auth: true, title: 'Add a site' },
  },
  {
    path: '/rollups/new',
    name: 'rollup-new',
    component: () => import('./views/NewRollupView.vue'),
    meta: { auth: true, title: 'New rollup view' },
  },
  {
    path: '/sites/:siteId/setup',
    name: 'site-setup',
    component: () => import('./views/SiteSetupView.vue'),
    meta: { auth: true, title: 'Install the script' },
  },
  {
    path: '/sites/:siteId/realtime',
    name: 'site-realtime',
    component: () => import('./views/RealtimeView.vue'),
    meta: { auth: true, title: 'Realtime' },
  },
  {
    path: '/sites/:siteId',
    name: 'site',
    component: () => import('./views/SiteDashboardView.vue'),
    meta: { auth: true },
  },
  {
    path: '/sites/:siteId/settings/:tab?',
    name: 'site-settings',
    component: () => import('./views/settings/SiteSettingsView.vue'),
    meta: { auth: true, title: 'Site settings' },
  },
  {
    path: '/account/:tab?',
    name: 'account',
    component: () => import('./views/account/AccountView.vue'),
    meta: { auth: true, title: 'Account' },
  },
  {
    path: '/organizations/:orgId/billing',
    name: 'billing',
    component: () => import('./views/billing/BillingView.vue'),
    meta: { auth: true, title: 'Billing' },
  },
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/auth/LoginView.vue'),
    meta: { guest: true, title: 'Log in' },
  },
  {
    path: '/signup',
    name: 'signup',
    component: () => import('./views/auth/SignupView.vue'),
    meta: { guest: true, title: 'Sign up' },
  },
  {
    path: '/verify-email',
    name: 'verify-email',
    component: () => import('./views/auth/VerifyEmailView.vue'),
    meta: { title: 'Confirm your email' },
  },
  {
    path: '/forgot-password',
    name: 'forgot-password',
    component: () => import('./views/auth/ForgotPasswordView.vue'),
    meta: { title: 'Reset your password' },
  },
  {
    path: '/reset-password',
    name: 'reset-password',
    component: () => import('./views/auth/ResetPasswordView.vue'),
    meta: { title: 'Choose a new password' },
  },
  {
    path: '/confirm-email',
    name: 'confirm-email',
    component: () => import('./views/auth/ConfirmEmailView.vue'),
    meta: { title: 'Confirm your new email' },
  },
  {
    path: '/invitations/accept',
    name: 'accept-invitation',
    component: () => import('./views/auth/AcceptInvitationView.vue'),
    meta: { auth: true, title: 'Invitation' },
  },
  {
    path: '/share/:token',
    name: 'share',
    component: () => import('./views/public/ShareView.vue'),
    meta: { title: 'Shared dashboard' },
  },
  {
    path: '/public/:subdomain',
    name: 'public',
    component: () => import('./views/public/PublicView.vue'),
    meta: { title: 'Public dashboard' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundView.vue'),
    meta: { title: 'Not found' },
  },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from, saved) => saved ?? (to.path === from.path ? false : { top: 0 }),
});

router.beforeEach(async (to) => {
  // A public dashboard's own host (<subdomain>.<domain>) shows that dashboard whatever the path.
  const hostSubdomain = publicSubdomainOfPage();
  if (hostSubdomain) {
    if (to.name === 'public' && to.params.subdomain === hostSubdomain) return true;
    return { name: 'public', params: { subdomain: hostSubdomain }, query: to.query, replace: true };
  }
  // Every page learns who is signed in first: a signed-in browser's changes (even confirming an
  // email link) must carry the session's CSRF token, which comes with the session.
  const session = useSessionStore();
  try {
    await session.ensureLoaded();
  } catch {
    // The API is down: let the page load and show its own error instead of looping to /login.
    return true;
  }
  if (!to.meta.auth && !to.meta.guest) return true;
  if (to.meta.auth && !session.user) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (to.meta.guest && session.user) return { name: 'sites' };
  return true;
});

router.afterEach((to) => {
  if (to.meta.title) document.title = `${to.meta.title} · Spur`;
});
