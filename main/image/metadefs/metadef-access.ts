import type { RequestContext } from '../../core/context';
import { DeskError, forbidden } from '../../core/errors';
import type { MetadefStore, NamespaceRow } from './metadef-store';

export const namespaceNotFound = (name: string) =>
  new DeskError('NotFound', `Metadata definition namespace=${name.slice(0, 255)} was not found.`, { kind: 'metadef_namespace', id: name.slice(0, 255) });

/**
 * Glance's default metadef policy: everyone reads public namespaces and their own project's private
 * ones (others' private namespaces are NotFound); only admins create, change or delete anything.
 */
export class MetadefAccess {
  constructor(private readonly store: MetadefStore) {}

  canSee(ctx: RequestContext, r: NamespaceRow): boolean {
    return ctx.isAdmin || r.visibility === 'public' || r.owner === ctx.projectId;
  }

  visible(ctx: RequestContext, name: string): NamespaceRow {
    const r = this.store.namespace(name);
    if (!r || !this.canSee(ctx, r)) throw namespaceNotFound(name);
    return r;
  }

  /** A namespace the caller may change; `what` names the change for the 403 message. */
  writable(ctx: RequestContext, name: string, what: string): NamespaceRow {
    const r = this.visible(ctx, name);
    this.requireAdmin(ctx, what);
    return r;
  }

  requireAdmin(ctx: RequestContext, what: string): void {
    if (!ctx.isAdmin) throw forbidden(`You are not authorized to ${what}: metadata definitions are managed by admins.`);
  }

  /** Glance refuses to delete anything inside a protected namespace. */
  requireUnprotected(r: NamespaceRow, what: string): void {
    if (r.protected === 1) throw forbidden(`${what} in namespace ${r.namespace} cannot be deleted: the namespace is protected. Set protected to false first.`);
  }
}
