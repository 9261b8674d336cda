import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi } from '../api/auth.api.ts';
import type { Organization, User } from '../api/accounts.schemas.ts';
import { ApiError, setCsrfToken } from '../api/http.ts';

export type LoginOutcome = { status: 'signed_in' } | { status: 'two_factor'; challenge: string };

/** Who is signed in, their organizations, and the CSRF token their changes must carry. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const organizations = ref<Organization[]>([]);
  const currentOrgId = ref<string | null>(null);
  const loaded = ref(false);
  /** Where the website is (its legal pages), when the backend says. */
  const websiteUrl = ref<string | null>(null);

  const currentOrg = computed(
    () => organizations.value.find((o) => o.id === currentOrgId.value) ?? organizations.value[0] ?? null,
  );
  const canAdmin = computed(() => currentOrg.value?.role === 'owner' || currentOrg.value?.role === 'admin');

  function clear() {
    user.value = null;
    organizations.value = [];
    setCsrfToken(undefined);
  }

  /** Asks the backend who we are; no user (or a 401 from an older backend) means "signed out". Other failures propagate. */
  async function refresh(): Promise<void> {
    try {
      const s = await authApi.session();
      websiteUrl.value = typeof s.website_url === 'string' ? s.website_url.replace(/\/$/, '') : null;
      if (!s.user) return clear();
      user.value = s.user;
      organizations.value = s.organizations;
      setCsrfToken(s.csrf_token);
      const stored = localStorage.getItem('spur.org');
      currentOrgId.value = s.organizations.some((o) => o.id === stored) ? stored : (s.organizations[0]?.id ?? null);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      clear();
    } finally {
      loaded.value = true;
    }
  }

  async function ensureLoaded(): Promise<void> {
    if (!loaded.value) await refresh();
  }

  async function login(email: string, password: string): Promise<LoginOutcome> {
    const answer = await authApi.login(email, password);
    if (answer.two_factor_required === true && typeof answer.challenge === 'string')
      return { status: 'two_factor', challenge: answer.challenge };
    await refresh();
    return { status: 'signed_in' };
  }

  async function secondFactor(challenge: string, answer: { code?: string; recovery_code?: string }): Promise<void> {
    await authApi.secondFactor(challenge, answer);
    await refresh();
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      clear();
    }
  }

  function selectOrg(id: string) {
    currentOrgId.value = id;
    localStorage.setItem('spur.org', id);
  }

  return {
    user,
    organizations,
    currentOrg,
    canAdmin,
    loaded,
    websiteUrl,
    refresh,
    ensureLoaded,
    login,
    secondFactor,
    logout,
    selectOrg,
    clear,
  };
});
