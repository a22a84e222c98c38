import { create } from 'zustand';
import type { SessionView } from '../../../main/api/contract/index';

export type Phase = 'booting' | 'setup' | 'login' | 'ready' | 'offline';

export interface SessionState {
  phase: Phase;
  session: SessionView | null;
  /** Why boot failed (offline phase). */
  error: string | null;
}

export const useSession = create<SessionState>(() => ({ phase: 'booting', session: null, error: null }));

export const selectPhase = (s: SessionState) => s.phase;
export const selectSession = (s: SessionState) => s.session;
export const selectIsAdmin = (s: SessionState) => s.session?.isAdmin ?? false;
