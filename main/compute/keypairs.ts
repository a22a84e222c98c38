import type { Db } from '../core/db';
import { conflict, DeskError, badRequest, overQuota } from '../core/errors';
import type { EventBus } from '../core/events';
import { nowIso } from '../core/ids';
import type { QuotaStore } from './quotas';
import { fingerprintOf, generateSshKey, type GeneratedKey } from './ssh-key';
import type { KeypairView } from './types';

interface KeypairRow {
  id: number;
  user_id: string;
  name: string;
  type: string;
  public_key: string;
  fingerprint: string;
  created_at: string;
}

const toView = (r: KeypairRow): KeypairView => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  type: r.type === 'x509' ? 'x509' : 'ssh',
  publicKey: r.public_key,
  fingerprint: r.fingerprint,
  createdAt: r.created_at,
});

// Nova's keypair name rule before 2.92: printable, no leading or trailing space.
const SAFE_NAME = /^(?! )[a-zA-Z0-9. _-]+(?<! )$/;

export interface KeypairInput {
  name: string;
  userId: string;
  /** Project whose key_pairs quota applies. */
  projectId: string;
  publicKey?: string;
  type?: 'ssh' | 'x509';
}

export class KeypairStore {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly quotas: QuotaStore,
    /** Makes a new pair; replaceable so tests can count calls. */
    private readonly generate: () => Promise<GeneratedKey> = () => generateSshKey(),
  ) {}

  list(userId: string, opts: { limit?: number; marker?: string } = {}): KeypairView[] {
    let rows = this.db.prepare('SELECT * FROM keypairs WHERE user_id = ? ORDER BY id').all(userId) as KeypairRow[];
    if (opts.marker !== undefined) {
      const i = rows.findIndex((r) => r.name === opts.marker);
      if (i < 0) throw badRequest(`marker [${opts.marker}] not found`);
      rows = rows.slice(i + 1);
    }
    if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
    return rows.map(toView);
  }

  get(userId: string, name: string): KeypairView {
    const row = this.db.prepare('SELECT * FROM keypairs WHERE user_id = ? AND name = ?').get(userId, name) as KeypairRow | undefined;
    if (!row) throw new DeskError('NotFound', `Keypair ${name} not found for user ${userId}`, { kind: 'keypair', id: name });
    return toView(row);
  }

  find(userId: string, name: string): KeypairView | null {
    const row = this.db.prepare('SELECT * FROM keypairs WHERE user_id = ? AND name = ?').get(userId, name) as KeypairRow | undefined;
    return row ? toView(row) : null;
  }

  /** Imports the given public key, or generates a pair and returns the private key once. */
  async create(input: KeypairInput): Promise<KeypairView> {
    if (!SAFE_NAME.test(input.name)) throw badRequest('Keypair data is invalid: Keypair name contains unsafe characters');
    // Quota and name are checked before the costly generation, and again when the row is written.
    const imported = input.publicKey === undefined ? null : { publicKey: input.publicKey.trim(), fingerprint: fingerprintOf(input.publicKey) };
    this.checkRoom(input);
    const generated = imported ? null : await this.generate();
    const { publicKey, fingerprint } = imported ?? generated!;
    const id = this.db.transaction(() => {
      this.checkRoom(input);
      return Number(
        this.db
          .prepare('INSERT INTO keypairs (user_id, name, type, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(input.userId, input.name, input.type ?? 'ssh', publicKey, fingerprint, nowIso()).lastInsertRowid,
      );
    }).immediate();
    this.bus.resource('keypair', String(id), input.projectId, 'created');
    const view = this.get(input.userId, input.name);
    return generated ? { ...view, privateKey: generated.privateKey } : view;
  }

  /** Nova's order: over quota is 403, then a taken name is 409. */
  private checkRoom(input: KeypairInput): void {
    const limit = this.quotas.limit(input.projectId, 'key_pairs');
    const used = this.db.prepare('SELECT COUNT(*) FROM keypairs WHERE user_id = ?').pluck().get(input.userId) as number;
    if (limit >= 0 && used + 1 > limit) throw overQuota('Quota exceeded, too many key pairs.');
    if (this.find(input.userId, input.name)) throw conflict(`Key pair '${input.name}' already exists.`);
  }

  delete(userId: string, name: string, projectId: string | null): void {
    const kp = this.get(userId, name);
    this.db.prepare('DELETE FROM keypairs WHERE id = ?').run(kp.id);
    this.bus.resource('keypair', String(kp.id), projectId, 'deleted');
  }
}
