import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { newHexId } from '../core/ids';
import { requireAdmin } from './identity-deps';
import { invalidInput, notFoundIn } from './identity-errors';
import { parseExtra } from './identity-store';

export interface Policy {
  id: string;
  type: string;
  blob: string;
  extra: Record<string, unknown>;
}

interface Row {
  id: string;
  type: string;
  blob: string;
  extra: string;
}

const MAX_BLOB = 64 * 1024;
const toPolicy = (r: Row): Policy => ({ id: r.id, type: r.type, blob: r.blob, extra: parseExtra(r.extra) });

/**
 * Keystone's policy store (/v3/policies): opaque policy documents kept for other services to fetch.
 * DeskStack's own services do not read them (their rules are in code), as with Keystone's deprecated API.
 */
export class PolicyManager {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT * FROM policies WHERE id = ?'),
      all: db.prepare('SELECT * FROM policies ORDER BY id'),
      insert: db.prepare('INSERT INTO policies (id, type, blob, extra) VALUES (@id, @type, @blob, @extra)'),
      update: db.prepare('UPDATE policies SET type = @type, blob = @blob, extra = @extra WHERE id = @id'),
      remove: db.prepare('DELETE FROM policies WHERE id = ?'),
    };
  }

  list(ctx: RequestContext, f: { type?: string } = {}): Policy[] {
    requireAdmin(ctx, 'list_policies');
    return (this.s.all.all() as Row[]).map(toPolicy).filter((p) => f.type === undefined || p.type === f.type);
  }
  get(ctx: RequestContext, id: string): Policy {
    requireAdmin(ctx, 'get_policy');
    const r = this.s.get.get(id) as Row | undefined;
    if (!r) throw notFoundIn('policy', id);
    return toPolicy(r);
  }
  create(ctx: RequestContext, input: Omit<Policy, 'id'>): Policy {
    requireAdmin(ctx, 'create_policy');
    const p = check({ ...input, id: newHexId() });
    this.s.insert.run(toRow(p));
    return p;
  }
  update(ctx: RequestContext, id: string, patch: Partial<Omit<Policy, 'id'>>): Policy {
    requireAdmin(ctx, 'update_policy');
    const cur = this.get(ctx, id);
    const next = check({ ...cur, type: patch.type ?? cur.type, blob: patch.blob ?? cur.blob, extra: { ...cur.extra, ...patch.extra } });
    this.s.update.run(toRow(next));
    return next;
  }
  delete(ctx: RequestContext, id: string): void {
    this.get(ctx, id);
    this.s.remove.run(id);
  }
}

function check(p: Policy): Policy {
  if (p.type.length === 0 || p.type.length > 255) throw invalidInput('type', 'a policy type is 1..255 characters long');
  if (p.blob.length > MAX_BLOB) throw invalidInput('blob', `a policy blob is at most ${MAX_BLOB} characters`);
  return p;
}

const toRow = (p: Policy): Row => ({ id: p.id, type: p.type, blob: p.blob, extra: JSON.stringify(p.extra) });
