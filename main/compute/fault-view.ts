// What a caller may read of a server's fault. Like Nova, a 500 fault holds infrastructure detail
// (host names, capacities, executor stderr): only admins see it; members get one generic sentence.
import type { ServerFault } from './types';

export interface VisibleFault {
  code: number;
  message: string;
  created: string;
  /** Absent when the caller may not see it, or there is none. */
  details?: string;
}

const NO_VALID_HOST = 'No valid host was found.';

/** The sentence a non-admin sees for a 500 fault. */
export function tenantFaultMessage(serverId: string, f: ServerFault): string {
  if (f.publicMessage) return f.publicMessage;
  if (f.message.startsWith(NO_VALID_HOST)) return NO_VALID_HOST;
  return `Instance ${serverId} failed; ask your cloud administrator for details.`;
}

export function visibleFault(serverId: string, f: ServerFault, isAdmin: boolean): VisibleFault {
  if (isAdmin || f.code !== 500) return { code: f.code, message: f.message, created: f.created, ...(f.details ? { details: f.details } : {}) };
  return { code: f.code, message: tenantFaultMessage(serverId, f), created: f.created };
}
