// Just the pieces the host and scheduler tests need: a temp data dir, a DB, the host service and the scheduler.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../main/core/config';
import { openDatabase, type Db } from '../../main/core/db';
import { EventBus, type DeskEvent } from '../../main/core/events';
import { createLogger } from '../../main/core/log';
import { HostService } from '../../main/hosts/host-service';
import { Scheduler } from '../../main/scheduler/scheduler';

export interface Env {
  dir: string;
  dbFile: string;
  db: Db;
  bus: EventBus;
  events: DeskEvent[];
  config: Config;
  hosts: HostService;
  scheduler: Scheduler;
  close(): Promise<void>;
}

export function makeEnv(): Env {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-sched-'));
  const dbFile = join(dir, 'deskstack.db');
  const db = openDatabase(dbFile);
  const bus = new EventBus();
  const events: DeskEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const config = loadConfig({ dataDir: dir, fakeDelayScale: 0 });
  const hosts = new HostService(db, bus, config, createLogger('silent'));
  const scheduler = new Scheduler(db, hosts);
  return {
    dir,
    dbFile,
    db,
    bus,
    events,
    config,
    hosts,
    scheduler,
    async close() {
      await hosts.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Allocations reference servers, so every scheduled server needs a row (normally compute writes it). */
export function insertServer(db: Db, id: string = randomUUID()): string {
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO servers (id, project_id, user_id, name, vm_state, flavor_id, flavor, reservation_id, created_at, updated_at)
     VALUES (?, 'p1', 'u1', ?, 'building', 'f1', '{}', ?, ?, ?)`,
  ).run(id, `srv-${id.slice(0, 8)}`, `r-${id.slice(0, 8)}`, now, now);
  return id;
}

/** Adds fake hosts with the given capacities and 1.0 ratios (no overcommit) unless told otherwise. */
export async function addHosts(
  env: Env,
  specs: Array<{ name: string; vcpus?: number; memoryMb?: number; diskGb?: number; availabilityZone?: string; ratios?: { cpu?: number; ram?: number; disk?: number } }>,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const s of specs) {
    const h = await env.hosts.addFakeHost({ name: s.name, vcpus: s.vcpus ?? 8, memoryMb: s.memoryMb ?? 8192, diskGb: s.diskGb ?? 100, availabilityZone: s.availabilityZone });
    env.hosts.setAllocationRatios(h.id, { cpu: 1, ram: 1, disk: 1, ...s.ratios });
    ids[s.name] = h.id;
  }
  return ids;
}
