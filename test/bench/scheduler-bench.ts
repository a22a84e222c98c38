// Times the filter scheduler alone: 1,000 servers placed on 100 simulated hosts, each claim in its own transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../main/core/config';
import { openDatabase } from '../../main/core/db';
import { EventBus } from '../../main/core/events';
import { createLogger } from '../../main/core/log';
import { HostService } from '../../main/hosts/host-service';
import { Scheduler } from '../../main/scheduler/scheduler';
import { fmt, report } from './stats';

export async function benchScheduler(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-bench-sched-'));
  const config = loadConfig({ dataDir, fakeDelayScale: 0 });
  const db = openDatabase(join(dataDir, 'db.sqlite'));
  const hosts = new HostService(db, new EventBus(), config, createLogger('silent'));
  try {
    for (let i = 1; i <= 100; i++) await hosts.addFakeHost({ name: `sim-${i}`, vcpus: 32, memoryMb: 131072, diskGb: 2000 });
    const scheduler = new Scheduler(db, hosts);
    const now = new Date().toISOString();
    const insert = db.prepare(
      `INSERT INTO servers (id, project_id, user_id, name, vm_state, flavor_id, flavor, reservation_id, created_at, updated_at)
       VALUES (?, 'p', 'u', ?, 'building', '2', '{}', 'r-bench', ?, ?)`,
    );
    const ids = Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    db.transaction(() => ids.forEach((id, i) => insert.run(id, `s${i}`, now, now)))();
    const t = performance.now();
    for (const id of ids) scheduler.schedule({ serverId: id, vcpus: 1, memoryMb: 2048, diskGb: 20 });
    const ms = performance.now() - t;
    report('schedule 1,000 servers on 100 simulated hosts', `${fmt(ms)} (${fmt(ms / 1000)} per server)`);
  } finally {
    await hosts.stop();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
