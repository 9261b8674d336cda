import { ref } from 'vue';

export type Theme = 'light' | 'dark' | 'system';

/** The chosen theme; 'system' follows the OS. Stored per browser; `?theme=` (embeds) overrides it. */
export const theme = ref<Theme>(readStored());
/** What is shown now ('system' resolved); charts redraw with its colours when it changes. */
export const shownTheme = ref<'light' | 'dark'>('light');

function readStored(): Theme {
  try {
    const value = localStorage.getItem('spur.theme');
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function applyTheme(value: Theme, persist = true): void {
  theme.value = value;
  const dark = value === 'dark' || (value === 'system' && window.matchMedia?.('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  shownTheme.value = dark ? 'dark' : 'light';
  if (persist) {
    try {
      if (value === 'system') localStorage.removeItem('spur.theme');
      else localStorage.setItem('spur.theme', value);
    } catch {
      // Private windows may refuse storage; the theme still applies for this page.
    }
  }
}
