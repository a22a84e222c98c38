// Shared set-up for identity unit tests: a fresh database in a temp folder and a clock the test moves.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../main/core/config';
import { openDatabase, type Db } from '../../main/core/db';
import { EventBus, type DeskEvent } from '../../main/core/events';
import { IdentityService } from '../../main/identity/identity-service';
import type { AuthRequest } from '../../main/identity/types';

export const PW = 'correct horse battery staple';

export interface Env {
  identity: IdentityService;
  db: Db;
  events: DeskEvent[];
  clock: { t: number };
  /** The data folder (database, credential key). */
  dir: string;
  close(): void;
}

export async function makeEnv(ttl = 3600): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-idunit-'));
  const db = openDatabase(join(dir, 'deskstack.db'));
  const bus = new EventBus();
  const events: DeskEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const clock = { t: Date.parse('2030-01-01T00:00:00Z') };
  const identity = new IdentityService(db, bus, loadConfig({ dataDir: dir, tokenTtlSeconds: ttl }), { now: () => clock.t });
  await identity.bootstrap({ adminPassword: PW });
  return {
    identity,
    db,
    events,
    clock,
    dir,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const byPassword = (name: string, password: string, project?: string | 'unscoped'): AuthRequest => ({
  methods: ['password'],
  password: { user: { name, domain: { id: 'default' }, password } },
  scope: project === undefined ? undefined : project === 'unscoped' ? 'unscoped' : { project: { name: project, domain: { name: 'Default' } } },
});
