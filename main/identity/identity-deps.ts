import type { RequestContext } from '../core/context';
import type { EventBus } from '../core/events';
import type { AssignmentStore } from './assignment-store';
import type { GroupStore } from './group-store';
import { policyDenied } from './identity-errors';
import type { IdentityStore } from './identity-store';
import type { TokenStore } from './token-store';

/** What the core identity managers share: the entity tables, tokens, the bus and a hook that drops cached token views. */
export interface IdentityDeps {
  store: IdentityStore;
  assignments: AssignmentStore;
  groups: GroupStore;
  tokens: TokenStore;
  bus: EventBus;
  /** Call after any change that could alter what a token means (roles, enabled flags, deletions). */
  changed(): void;
  now(): number;
  /** Ids made by bootstrap; they cannot be deleted or disabled, so the local admin never locks itself out. */
  protectedIds(): { userId: string | null; projectId: string | null };
}

// Keystone's legacy rule: the admin role on any project is the cloud administrator.
export function requireAdmin(ctx: RequestContext, action: string): void {
  if (!ctx.isAdmin) throw policyDenied(action);
}
