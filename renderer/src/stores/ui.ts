import { create } from 'zustand';

export type Route = 'overview' | 'instances' | 'images' | 'flavors' | 'keypairs' | 'volumes' | 'networks' | 'object-storage' | 'stacks' | 'hosts' | 'identity' | 'activity';

export const ROUTES: Route[] = ['overview', 'instances', 'images', 'flavors', 'keypairs', 'volumes', 'networks', 'object-storage', 'stacks', 'hosts', 'identity', 'activity'];

export type Theme = 'light' | 'dark' | 'system';

export interface Toast {
  id: number;
  kind: 'info' | 'error' | 'success';
  title: string;
  message?: string;
}

export interface UiState {
  route: Route;
  /** Instance whose detail panel is open. */
  selectedServerId: string | null;
  theme: Theme;
  tasksOpen: boolean;
  launchOpen: boolean;
  /** The instances table's filter (global search's "show all" sets it). */
  instanceFilter: string;
  toasts: Toast[];
}

function routeFromHash(): Route {
  const h = location.hash.replace(/^#\/?/, '').split('/')[0] as Route;
  return ROUTES.includes(h) ? h : 'overview';
}

const storedTheme = (): Theme => {
  const t = localStorage.getItem('deskstack.theme');
  return t === 'light' || t === 'dark' ? t : 'system';
};

export const useUi = create<UiState>(() => ({
  route: routeFromHash(),
  selectedServerId: null,
  theme: storedTheme(),
  tasksOpen: false,
  launchOpen: false,
  instanceFilter: '',
  toasts: [],
}));

window.addEventListener('hashchange', () => useUi.setState({ route: routeFromHash() }));

export function navigate(route: Route): void {
  if (location.hash !== `#/${route}`) location.hash = `#/${route}`;
  useUi.setState({ route });
}

export function setTheme(theme: Theme): void {
  if (theme === 'system') localStorage.removeItem('deskstack.theme');
  else localStorage.setItem('deskstack.theme', theme);
  useUi.setState({ theme });
}

let toastSeq = 0;
export function toast(kind: Toast['kind'], title: string, message?: string): void {
  const id = ++toastSeq;
  useUi.setState((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, title, message }] }));
  setTimeout(() => dismissToast(id), kind === 'error' ? 10_000 : 4_000);
}

export function dismissToast(id: number): void {
  useUi.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}
