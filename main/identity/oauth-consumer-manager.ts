import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { newHexId, newSecret } from '../core/ids';
import { requireAdmin } from './identity-deps';
import { invalidInput, notFoundIn } from './identity-errors';
import { parseExtra } from './identity-store';
import { hashPassword } from './password-hash';

export interface OAuthConsumer {
  id: string;
  description: string | null;
  extra: Record<string, unknown>;
}

interface Row {
  id: string;
  description: string | null;
  extra: string;
}

const toConsumer = (r: Row): OAuthConsumer => ({ id: r.id, description: r.description, extra: parseExtra(r.extra) });

/**
 * OS-OAUTH1 consumers: registered applications with a secret shown once (kept as a hash). DeskStack
 * registers consumers but does not run the OAuth1 delegation flow (request and access tokens).
 */
export class OAuthConsumerManager {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare('SELECT id, description, extra FROM oauth_consumers WHERE id = ?'),
      all: db.prepare('SELECT id, description, extra FROM oauth_consumers ORDER BY id'),
      insert: db.prepare('INSERT INTO oauth_consumers (id, description, secret_hash, extra) VALUES (?, ?, ?, ?)'),
      update: db.prepare('UPDATE oauth_consumers SET description = ?, extra = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM oauth_consumers WHERE id = ?'),
    };
  }

  list(ctx: RequestContext): OAuthConsumer[] {
    requireAdmin(ctx, 'list_consumers');
    return (this.s.all.all() as Row[]).map(toConsumer);
  }
  get(ctx: RequestContext, id: string): OAuthConsumer {
    requireAdmin(ctx, 'get_consumer');
    const r = this.s.get.get(id) as Row | undefined;
    if (!r) throw notFoundIn('consumer', id);
    return toConsumer(r);
  }
  /** The secret is returned this once. */
  async create(ctx: RequestContext, description: string | null, extra: Record<string, unknown> = {}): Promise<{ consumer: OAuthConsumer; secret: string }> {
    requireAdmin(ctx, 'create_consumer');
    check(description);
    const secret = newSecret(24);
    const consumer: OAuthConsumer = { id: newHexId(), description, extra };
    this.s.insert.run(consumer.id, description, await hashPassword(secret), JSON.stringify(extra));
    return { consumer, secret };
  }
  update(ctx: RequestContext, id: string, patch: { description?: string | null; extra?: Record<string, unknown> }): OAuthConsumer {
    const cur = this.get(ctx, id);
    const next = { ...cur, description: patch.description !== undefined ? check(patch.description) : cur.description, extra: { ...cur.extra, ...patch.extra } };
    this.s.update.run(next.description, JSON.stringify(next.extra), id);
    return next;
  }
  delete(ctx: RequestContext, id: string): void {
    this.get(ctx, id);
    this.s.remove.run(id);
  }
}

function check(description: string | null): string | null {
  if (description !== null && description.length > 65535) throw invalidInput('description', 'at most 65535 characters');
  return description;
}
