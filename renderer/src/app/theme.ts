import { useUi } from '../stores/ui';

const media = window.matchMedia('(prefers-color-scheme: dark)');

/** Sets data-theme on <html> from the user's choice, or the system's when they chose none. */
export function applyTheme(): void {
  const sync = () => {
    const t = useUi.getState().theme;
    document.documentElement.dataset.theme = t === 'system' ? (media.matches ? 'dark' : 'light') : t;
  };
  sync();
  media.addEventListener('change', sync);
  useUi.subscribe((s, prev) => {
    if (s.theme !== prev.theme) sync();
  });
}

export const resolvedTheme = (): 'light' | 'dark' => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
