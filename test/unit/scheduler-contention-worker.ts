// A second (third, fourth…) control-plane connection to the same database file, scheduling in a loop.
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from '../../main/core/config';
import { openDatabase } from '../../main/core/db';
import { DeskError } from '../../main/core/errors';
import { EventBus } from '../../main/core/events';
import { createLogger } from '../../main/core/log';
import { HostService } from '../../main/hosts/host-service';
import { Scheduler } from '../../main/scheduler/scheduler';
import { insertServer } from './scheduler-fixtures';

const { dbFile, dataDir, attempts } = workerData as { dbFile: string; dataDir: string; attempts: number };
const db = openDatabase(dbFile);
const hosts = new HostService(db, new EventBus(), loadConfig({ dataDir, fakeDelayScale: 0 }), createLogger('silent'));
const scheduler = new Scheduler(db, hosts);
let placed = 0;
let refused = 0;
for (let i = 0; i < attempts; i++) {
  const id = insertServer(db, randomUUID());
  try {
    scheduler.schedule({ serverId: id, vcpus: 1 + (i % 3), memoryMb: 256 * (1 + (i % 4)), diskGb: 1 + (i % 5) });
    placed++;
  } catch (e) {
    if (!(e instanceof DeskError && e.code === 'NoValidHost')) throw e;
    refused++;
  }
}
db.close();
parentPort?.postMessage({ placed, refused });
