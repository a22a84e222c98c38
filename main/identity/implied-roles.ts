import type { IdentityStore } from './identity-store';
import type { NamedRef, Role } from './types';

// Keystone's default role hierarchy since Rocky: admin implies member, member implies reader.
const IMPLIES: Record<string, string> = { admin: 'member', member: 'reader' };

/** Direct roles plus every role they imply, each once, in a stable order. */
export function effectiveRoles(store: IdentityStore, direct: Role[]): NamedRef[] {
  const out = new Map<string, NamedRef>();
  for (const r of direct) {
    let cur: Role | null = r;
    while (cur && !out.has(cur.id)) {
      out.set(cur.id, { id: cur.id, name: cur.name });
      const next: string | undefined = IMPLIES[cur.name];
      cur = next ? store.roleByName(next) : null;
    }
  }
  return [...out.values()];
}
