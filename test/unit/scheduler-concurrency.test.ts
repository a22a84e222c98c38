import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { DeskError } from '../../main/core/errors';
import { addHosts, insertServer, makeEnv, type Env } from './scheduler-fixtures';

/** Every host's allocations stay within capacity × ratio. */
function assertNoOvercommit(env: Env): number {
  const usage = env.scheduler.usage();
  let instances = 0;
  for (const h of env.hosts.list()) {
    const u = usage.get(h.id)!;
    instances += u.instances;
    assert.ok(u.vcpus <= h.vcpus * h.cpuAllocationRatio, `${h.name}: ${u.vcpus} vCPUs allocated > ${h.vcpus} × ${h.cpuAllocationRatio}`);
    assert.ok(u.memoryMb <= h.memoryMb * h.ramAllocationRatio, `${h.name}: ${u.memoryMb} MiB allocated > ${h.memoryMb} × ${h.ramAllocationRatio}`);
    assert.ok(u.diskGb <= h.diskGb * h.diskAllocationRatio, `${h.name}: ${u.diskGb} GB allocated > ${h.diskGb} × ${h.diskAllocationRatio}`);
  }
  return instances;
}

describe('scheduler under concurrency', () => {
  let env: Env;
  beforeEach(() => {
    env = makeEnv();
  });
  afterEach(async () => {
    await env.close();
  });

  it('many interleaved async boots never overcommit a host', async () => {
    await addHosts(env, [
      { name: 'a', vcpus: 4, memoryMb: 4096, diskGb: 40 },
      { name: 'b', vcpus: 8, memoryMb: 2048, diskGb: 80, ratios: { ram: 1.5 } },
      { name: 'c', vcpus: 2, memoryMb: 8192, diskGb: 20, ratios: { cpu: 4 } },
    ]);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const id = insertServer(env.db);
        await new Promise((r) => (i % 2 ? setImmediate(r) : queueMicrotask(() => r(undefined))));
        try {
          env.scheduler.schedule({ serverId: id, vcpus: 1 + (i % 2), memoryMb: 512, diskGb: 2 + (i % 3) });
          return 'placed';
        } catch (e) {
          assert.ok(e instanceof DeskError && e.code === 'NoValidHost', String(e));
          return 'refused';
        }
      }),
    );
    const placed = outcomes.filter((o) => o === 'placed').length;
    assert.ok(placed > 0 && placed < 200, `expected the hosts to fill up part way (placed ${placed})`);
    assert.equal(assertNoOvercommit(env), placed);
  });

  it('separate database connections in separate threads contending for the same hosts never overcommit', async () => {
    await addHosts(env, [
      { name: 'a', vcpus: 8, memoryMb: 8192, diskGb: 60 },
      { name: 'b', vcpus: 4, memoryMb: 16_384, diskGb: 100, ratios: { ram: 1.5, cpu: 2 } },
      { name: 'c', vcpus: 16, memoryMb: 4096, diskGb: 200 },
    ]);
    const workers = 4;
    const attempts = 120;
    const results = await Promise.all(
      Array.from({ length: workers }, () => {
        // Hooks do not reach worker threads on Node 20, so the worker loads its TypeScript through tsx's API.
        const entry = new URL('./scheduler-contention-worker.ts', import.meta.url).href;
        const tsxApi = import.meta.resolve('tsx/esm/api');
        const w = new Worker(`import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`, {
          eval: true,
          workerData: { dbFile: env.dbFile, dataDir: env.dir, attempts },
        });
        return new Promise<{ placed: number; refused: number }>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
        });
      }),
    );
    const placed = results.reduce((n, r) => n + r.placed, 0);
    const refused = results.reduce((n, r) => n + r.refused, 0);
    assert.equal(placed + refused, workers * attempts);
    assert.ok(refused > 0, 'the hosts should have filled up so that the workers had to compete');
    assert.equal(assertNoOvercommit(env), placed);
  });
});
