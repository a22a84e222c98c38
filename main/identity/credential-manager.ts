import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../core/context';
import type { Db } from '../core/db';
import { DeskError } from '../core/errors';
import { newHexId } from '../core/ids';
import { duplicate, invalidInput, notFoundIn, policyDenied } from './identity-errors';
import { parseExtra, type IdentityStore } from './identity-store';
import type { SecretBox } from './secret-box';

export interface Credential {
  id: string;
  userId: string;
  projectId: string | null;
  type: string;
  /** As the client gave it: a string, for ec2 a JSON object with access and secret. */
  blob: string;
  extra: Record<string, unknown>;
}

export interface CredentialInput {
  userId: string;
  projectId?: string | null;
  type: string;
  blob: string;
  extra?: Record<string, unknown>;
}

/** An EC2 credential as OS-EC2 shows it. */
export interface Ec2Credential {
  access: string;
  secret: string;
  userId: string;
  projectId: string;
  trustId: string | null;
}

interface Row {
  id: string;
  user_id: string;
  project_id: string | null;
  type: string;
  sealed_blob: string;
  extra: string;
}

const MAX_BLOB = 64 * 1024;
// Keystone names an ec2 credential by the sha256 of its access key, so the key finds it directly.
const ec2Id = (access: string): string => createHash('sha256').update(access).digest('hex');

function ec2Keys(blob: string): { access: string; secret?: string } {
  let v: unknown;
  try {
    v = JSON.parse(blob);
  } catch {
    throw invalidInput('blob', 'an ec2 credential blob must be a JSON object with "access" and "secret"');
  }
  const o = v as { access?: unknown; secret?: unknown } | null;
  if (!o || typeof o !== 'object' || typeof o.access !== 'string' || o.access.length === 0) throw invalidInput('blob', 'an ec2 credential blob needs an "access" string');
  return { access: o.access, secret: typeof o.secret === 'string' ? o.secret : undefined };
}

/** Credentials (/v3/credentials and OS-EC2): blobs sealed at rest, each owned by a user who (or an admin) manages it. */
export class CredentialManager {
  private readonly s;

  constructor(
    db: Db,
    private readonly store: IdentityStore,
    private readonly box: SecretBox,
    /** True when the user holds a role on the project (EC2 keys are only made where the user works). */
    private readonly worksIn: (userId: string, projectId: string) => boolean,
  ) {
    this.s = {
      get: db.prepare('SELECT * FROM credentials WHERE id = ?'),
      all: db.prepare('SELECT * FROM credentials ORDER BY user_id, id'),
      insert: db.prepare('INSERT INTO credentials (id, user_id, project_id, type, sealed_blob, extra) VALUES (@id, @user_id, @project_id, @type, @sealed_blob, @extra)'),
      update: db.prepare('UPDATE credentials SET user_id = @user_id, project_id = @project_id, type = @type, sealed_blob = @sealed_blob, extra = @extra WHERE id = @id'),
      remove: db.prepare('DELETE FROM credentials WHERE id = ?'),
    };
  }

  list(ctx: RequestContext, f: { userId?: string; type?: string } = {}): Credential[] {
    return (this.s.all.all() as Row[])
      .filter((r) => (ctx.isAdmin || r.user_id === ctx.userId) && (f.userId === undefined || r.user_id === f.userId) && (f.type === undefined || r.type === f.type))
      .map((r) => this.toCredential(r));
  }

  get(ctx: RequestContext, id: string): Credential {
    const r = this.s.get.get(id) as Row | undefined;
    // Someone else's credential is invisible rather than forbidden: its id could be an access key's hash.
    if (!r || (!ctx.isAdmin && r.user_id !== ctx.userId)) throw notFoundIn('credential', id);
    return this.toCredential(r);
  }

  create(ctx: RequestContext, input: CredentialInput): Credential {
    const c = this.check(ctx, { id: newHexId(), userId: input.userId, projectId: input.projectId ?? null, type: input.type, blob: input.blob, extra: input.extra ?? {} });
    if (c.type === 'ec2') c.id = ec2Id(ec2Keys(c.blob).access);
    if (this.s.get.get(c.id)) throw duplicate('credential', c.id);
    this.s.insert.run(this.toRow(c));
    return c;
  }

  update(ctx: RequestContext, id: string, patch: Partial<CredentialInput>): Credential {
    const cur = this.get(ctx, id);
    const next = this.check(ctx, {
      ...cur,
      userId: patch.userId ?? cur.userId,
      projectId: patch.projectId !== undefined ? patch.projectId : cur.projectId,
      type: patch.type ?? cur.type,
      blob: patch.blob ?? cur.blob,
      extra: { ...cur.extra, ...patch.extra },
    });
    this.s.update.run(this.toRow(next));
    return next;
  }

  delete(ctx: RequestContext, id: string): void {
    this.get(ctx, id);
    this.s.remove.run(id);
  }

  // ---- OS-EC2 ----

  /** POST /v3/users/{id}/credentials/OS-EC2: a fresh access/secret pair on a project the user works in. */
  createEc2(ctx: RequestContext, userId: string, projectId: string): Ec2Credential {
    this.requireSelf(ctx, userId, 'ec2_create_credential');
    if (!this.store.project(projectId)) throw notFoundIn('project', projectId);
    if (!this.worksIn(userId, projectId)) throw new DeskError('Forbidden', `User ${userId} has no role on project ${projectId}, so no EC2 credential is made for it.`);
    const access = randomBytes(16).toString('hex');
    const secret = randomBytes(16).toString('hex');
    this.create(ctx, { userId, projectId, type: 'ec2', blob: JSON.stringify({ access, secret, trust_id: null, app_cred_id: null, access_token_id: null }) });
    return { access, secret, userId, projectId, trustId: null };
  }

  listEc2(ctx: RequestContext, userId: string): Ec2Credential[] {
    this.requireSelf(ctx, userId, 'ec2_list_credentials');
    return this.list(ctx, { userId, type: 'ec2' }).map((c) => this.toEc2(c));
  }

  getEc2(ctx: RequestContext, userId: string, access: string): Ec2Credential {
    this.requireSelf(ctx, userId, 'ec2_get_credential');
    const r = this.s.get.get(ec2Id(access)) as Row | undefined;
    if (!r || r.type !== 'ec2' || r.user_id !== userId) throw notFoundIn('credential', access);
    return this.toEc2(this.toCredential(r));
  }

  deleteEc2(ctx: RequestContext, userId: string, access: string): void {
    this.getEc2(ctx, userId, access);
    this.s.remove.run(ec2Id(access));
  }

  private toEc2(c: Credential): Ec2Credential {
    const blob = JSON.parse(c.blob) as { access: string; secret: string; trust_id?: string | null };
    return { access: blob.access, secret: blob.secret, userId: c.userId, projectId: c.projectId ?? '', trustId: blob.trust_id ?? null };
  }

  private requireSelf(ctx: RequestContext, userId: string, action: string): void {
    if (!this.store.userRow(userId)) throw notFoundIn('user', userId);
    if (!ctx.isAdmin && ctx.userId !== userId) throw policyDenied(action);
  }

  private check(ctx: RequestContext, c: Credential): Credential {
    if (!ctx.isAdmin && c.userId !== ctx.userId) throw policyDenied('create_credential');
    if (!this.store.userRow(c.userId)) throw new DeskError('BadRequest', `Could not find user: ${c.userId}.`);
    if (c.projectId !== null && !this.store.project(c.projectId)) throw new DeskError('BadRequest', `Could not find project: ${c.projectId}.`);
    if (c.blob.length > MAX_BLOB) throw invalidInput('blob', `a credential blob is at most ${MAX_BLOB} characters`);
    if (c.type === 'ec2') {
      ec2Keys(c.blob);
      if (c.projectId === null) throw invalidInput('project_id', 'an ec2 credential needs a project');
    }
    return c;
  }

  private toRow(c: Credential): Row {
    return { id: c.id, user_id: c.userId, project_id: c.projectId, type: c.type, sealed_blob: this.box.seal(c.blob), extra: JSON.stringify(c.extra) };
  }

  private toCredential(r: Row): Credential {
    return { id: r.id, userId: r.user_id, projectId: r.project_id, type: r.type, blob: this.box.open(r.sealed_blob), extra: parseExtra(r.extra) };
  }
}
