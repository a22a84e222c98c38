import type { Db } from '../core/db';
import { conflict, DeskError } from '../core/errors';
import type { EventBus } from '../core/events';
import { newUuid, nowIso } from '../core/ids';
import type { FlavorView } from './types';

interface FlavorRow {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtx_factor: number;
  is_public: number;
  disabled: number;
  description: string | null;
  extra_specs: string;
  created_at: string;
}

const toView = (r: FlavorRow): FlavorView => ({
  id: r.id,
  name: r.name,
  vcpus: r.vcpus,
  ram: r.ram,
  disk: r.disk,
  ephemeral: r.ephemeral,
  swap: r.swap,
  rxtxFactor: r.rxtx_factor,
  isPublic: r.is_public === 1,
  disabled: r.disabled === 1,
  description: r.description,
  extraSpecs: JSON.parse(r.extra_specs) as Record<string, string>,
  createdAt: r.created_at,
});

/** Nova's classic m1.* flavors; DeskStack ships them so a fresh cloud can boot at once. */
export const DEFAULT_FLAVORS = [
  { id: '1', name: 'm1.tiny', vcpus: 1, ram: 512, disk: 1 },
  { id: '2', name: 'm1.small', vcpus: 1, ram: 2048, disk: 20 },
  { id: '3', name: 'm1.medium', vcpus: 2, ram: 4096, disk: 40 },
  { id: '4', name: 'm1.large', vcpus: 4, ram: 8192, disk: 80 },
  { id: '5', name: 'm1.xlarge', vcpus: 8, ram: 16384, disk: 160 },
];

export interface FlavorInput {
  id?: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral?: number;
  swap?: number;
  rxtxFactor?: number;
  isPublic?: boolean;
  description?: string | null;
}

export interface FlavorFilter {
  isPublic?: boolean | null;
  minDisk?: number;
  minRam?: number;
  limit?: number;
  marker?: string;
  sortKey?: 'flavorid' | 'name' | 'memory_mb' | 'vcpus' | 'root_gb' | 'created_at';
  sortDir?: 'asc' | 'desc';
}

const SORT_COLUMNS: Record<NonNullable<FlavorFilter['sortKey']>, string> = {
  flavorid: 'id',
  name: 'name',
  memory_mb: 'ram',
  vcpus: 'vcpus',
  root_gb: 'disk',
  created_at: 'created_at',
};

export class FlavorStore {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  /** Seeds the m1.* flavors once per data folder, so a deleted default stays deleted. */
  ensureDefaults(): void {
    const seeded = this.db.prepare("SELECT value FROM settings WHERE key = 'compute.default_flavors'").pluck().get();
    if (seeded) return;
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO flavors (id, name, vcpus, ram, disk, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const f of DEFAULT_FLAVORS) insert.run(f.id, f.name, f.vcpus, f.ram, f.disk, nowIso());
      this.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('compute.default_flavors', ?)").run(nowIso());
    })();
  }

  list(filter: FlavorFilter = {}): FlavorView[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.isPublic !== undefined && filter.isPublic !== null) {
      where.push('is_public = ?');
      args.push(filter.isPublic ? 1 : 0);
    }
    if (filter.minDisk !== undefined) {
      where.push('disk >= ?');
      args.push(filter.minDisk);
    }
    if (filter.minRam !== undefined) {
      where.push('ram >= ?');
      args.push(filter.minRam);
    }
    const col = SORT_COLUMNS[filter.sortKey ?? 'flavorid'];
    const dir = filter.sortDir === 'desc' ? 'DESC' : 'ASC';
    let rows = this.db.prepare(`SELECT * FROM flavors ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${col} ${dir}, id ${dir}`).all(...args) as FlavorRow[];
    if (filter.marker !== undefined) {
      const i = rows.findIndex((r) => r.id === filter.marker);
      if (i < 0) throw new DeskError('BadRequest', `marker [${filter.marker}] not found`);
      rows = rows.slice(i + 1);
    }
    if (filter.limit !== undefined) rows = rows.slice(0, filter.limit);
    return rows.map(toView);
  }

  get(id: string): FlavorView {
    const row = this.db.prepare('SELECT * FROM flavors WHERE id = ?').get(id) as FlavorRow | undefined;
    if (!row) throw new DeskError('NotFound', `Flavor ${id} could not be found.`, { kind: 'flavor', id });
    return toView(row);
  }

  /** Looks a flavor up by id, then by name (what a UI or CLI user types). */
  find(idOrName: string): FlavorView | null {
    const row = (this.db.prepare('SELECT * FROM flavors WHERE id = ?').get(idOrName) ??
      this.db.prepare('SELECT * FROM flavors WHERE name = ?').get(idOrName)) as FlavorRow | undefined;
    return row ? toView(row) : null;
  }

  create(input: FlavorInput): FlavorView {
    const id = input.id ?? newUuid();
    if (this.db.prepare('SELECT 1 FROM flavors WHERE id = ?').get(id)) throw conflict(`Flavor with ID ${id} already exists.`);
    if (this.db.prepare('SELECT 1 FROM flavors WHERE name = ?').get(input.name)) throw conflict(`Flavor with name ${input.name} already exists.`);
    this.db
      .prepare(
        `INSERT INTO flavors (id, name, vcpus, ram, disk, ephemeral, swap, rxtx_factor, is_public, description, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.name, input.vcpus, input.ram, input.disk, input.ephemeral ?? 0, input.swap ?? 0, input.rxtxFactor ?? 1, input.isPublic === false ? 0 : 1, input.description ?? null, nowIso());
    this.bus.resource('flavor', id, null, 'created');
    return this.get(id);
  }

  update(id: string, patch: { description?: string | null }): FlavorView {
    this.get(id);
    if (patch.description !== undefined) this.db.prepare('UPDATE flavors SET description = ? WHERE id = ?').run(patch.description, id);
    this.bus.resource('flavor', id, null, 'updated');
    return this.get(id);
  }

  setExtraSpecs(id: string, specs: Record<string, string>): Record<string, string> {
    const merged = { ...this.get(id).extraSpecs, ...specs };
    this.db.prepare('UPDATE flavors SET extra_specs = ? WHERE id = ?').run(JSON.stringify(merged), id);
    this.bus.resource('flavor', id, null, 'updated');
    return merged;
  }

  deleteExtraSpec(id: string, key: string): void {
    const specs = this.get(id).extraSpecs;
    if (!(key in specs)) throw new DeskError('NotFound', `Flavor ${id} has no extra specs with key ${key}.`);
    delete specs[key];
    this.db.prepare('UPDATE flavors SET extra_specs = ? WHERE id = ?').run(JSON.stringify(specs), id);
    this.bus.resource('flavor', id, null, 'updated');
  }

  delete(id: string): void {
    this.get(id);
    // Servers keep their own copy of the flavor, so deleting it never breaks them.
    this.db.prepare('DELETE FROM flavors WHERE id = ?').run(id);
    this.bus.resource('flavor', id, null, 'deleted');
  }
}
