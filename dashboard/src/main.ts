import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { applyTheme, theme } from './lib/theme.ts';
import { router } from './router.ts';
import './styles/app.css';

// Embeds choose their theme in the URL (`?theme=dark`) without changing the viewer's saved choice.
const requested = new URLSearchParams(location.search).get('theme');
applyTheme(requested === 'dark' || requested === 'light' ? requested : theme.value, false);
window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => {
  if (theme.value === 'system') applyTheme('system', false);
});

createApp(App).use(createPinia()).use(router).mount('#app');
