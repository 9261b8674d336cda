import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthorized } from './api/http.ts';
import { applyTheme, theme } from './lib/theme.ts';
import { router } from './router.ts';
import { useSessionStore } from './stores/session.store.ts';
import './styles/app.css';

// Embeds choose their theme in the URL (`?theme=dark`) without changing the viewer's saved choice.
const requested = new URLSearchParams(location.search).get('theme');
applyTheme(requested === 'dark' || requested === 'light' ? requested : theme.value, false);
window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => {
  if (theme.value === 'system') applyTheme('system', false);
});

const pinia = createPinia();
createApp(App).use(pinia).use(router).mount('#app');

// A session that ended elsewhere (expired, revoked, password changed) sends the user to log in again,
// and back to where they were afterwards.
onUnauthorized(() => {
  const session = useSessionStore(pinia);
  if (!session.user) return;
  session.clear();
  const current = router.currentRoute.value;
  if (current.meta.auth) void router.push({ name: 'login', query: { next: current.fullPath, expired: '1' } });
});
