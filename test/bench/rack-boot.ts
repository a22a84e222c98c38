// Real-host boot benchmark on the test rack (needs root): time from `server create` to the guest's
// marker line with a cached image, split into control-plane time (until the domain is started and
// the server is ACTIVE; of which the driver's own spawn) and guest boot (until the marker), for one
// boot and for 10 at once on 2 hosts. The machine's load average is printed: on a busy machine
// `virsh start` alone takes most of a second.
// Run: node bin/tsx-run.mjs test/bench/rack-boot.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../helpers/api-client';
import { startServeProcess } from '../helpers/serve-process';
import { rackUnavailableReason } from '../rack/available';
import { buildGuestImage } from '../rack/guest-image';
import { startRack } from '../rack/rack';
import { fmt, report, summarize } from './stats';

const PASSWORD = 'bench-secret';
const MV = { 'OpenStack-API-Version': 'compute 2.79' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Boot {
  controlPlaneMs: number;
  /** The libvirt driver's own spawn time (every host-side step), from its task log line. */
  hostSpawnMs: number;
  guestMs: number;
}

/** "instance <id> started in N ms", logged by the driver into the server's build task. */
async function hostSpawnMs(api: ApiClient, serverId: string): Promise<number> {
  const tasks = (await api.rpc('taskList', { limit: 1000 })).body as Array<{ id: string; kind: string; resourceId: string | null }>;
  const build = tasks.find((t) => t.kind === 'server.build' && t.resourceId === serverId);
  if (!build) throw new Error(`no build task for server ${serverId}`);
  const log = (await api.rpc('taskLog', { id: build.id })).body as Array<{ line: string }>;
  const ms = log.map((l) => /^instance \S+ started in (\d+) ms$/.exec(l.line)?.[1]).find(Boolean);
  if (!ms) throw new Error(`the build task of ${serverId} logged no spawn time`);
  return Number(ms);
}

/** Boots `count` servers at once; without `marker` it stops timing at ACTIVE (guestMs is NaN). */
async function bootMany(api: ApiClient, imageId: string, count: number, marker = true): Promise<Boot[]> {
  const t0 = performance.now();
  const created = await Promise.all(
    Array.from({ length: count }, (_, i) => api.rest('POST', '/compute/v2.1/servers', { server: { name: `bench-${count}-${i}`, imageRef: imageId, flavorRef: '1', networks: 'auto' } }, MV)),
  );
  const ids = created.map((c) => c.body.server.id as string);
  const active = new Map<string, number>();
  const marked = new Map<string, number>();
  while ((marker ? marked : active).size < ids.length) {
    if (performance.now() - t0 > 600_000) throw new Error('boots did not finish within 10 minutes');
    for (const id of ids) {
      if (marked.has(id)) continue;
      if (!active.has(id)) {
        const s = (await api.rest('GET', `/compute/v2.1/servers/${id}`)).body.server;
        if (s.status === 'ERROR') throw new Error(`boot failed: ${s.fault?.message}`);
        if (s.status === 'ACTIVE') active.set(id, performance.now());
        continue;
      }
      const out = (await api.rest('POST', `/compute/v2.1/servers/${id}/action`, { 'os-getConsoleOutput': { length: 50 } })).body.output as string;
      if (out.includes('DESKSTACK-GUEST-READY')) marked.set(id, performance.now());
    }
    await sleep(100);
  }
  const spawned = new Map<string, number>();
  for (const id of ids) spawned.set(id, await hostSpawnMs(api, id));
  for (const id of ids) await api.rest('DELETE', `/compute/v2.1/servers/${id}`);
  for (const id of ids) while ((await api.rest('GET', `/compute/v2.1/servers/${id}`)).status !== 404) await sleep(200);
  return ids.map((id) => ({ controlPlaneMs: active.get(id)! - t0, hostSpawnMs: spawned.get(id)!, guestMs: marker ? marked.get(id)! - active.get(id)! : NaN }));
}

async function main(): Promise<void> {
  const why = rackUnavailableReason({ guestImage: true });
  if (why) {
    report('rack boot benchmark skipped', why);
    return;
  }
  const [rack, guest] = await Promise.all([startRack({ hosts: 2 }), buildGuestImage()]);
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-bench-rack-'));
  const serve = await startServeProcess({ dataDir, env: { DESKSTACK_ADMIN_PASSWORD: PASSWORD } });
  try {
    const api = await ApiClient.login(serve.url, PASSWORD);
    for (const h of rack.hosts) {
      const added = await api.rpc('hostAdd', { address: h.ip, auth: { password: h.password }, hostKeyFingerprint: h.hostKeyFingerprint });
      await api.waitTask(added.body.preflightTaskId);
      await api.waitTask((await api.rpc('hostProvision', { id: added.body.host.id })).body.id);
    }
    const imageId = await api.uploadImage('bench-guest', readFileSync(guest.path));
    await bootMany(api, imageId, 2); // warms the image cache on both hosts
    const one = await bootMany(api, imageId, 1);
    for (let i = 0; i < 4; i++) one.push(...(await bootMany(api, imageId, 1, false)));
    const oneCp = summarize(one.map((b) => b.controlPlaneMs));
    const oneHost = summarize(one.map((b) => b.hostSpawnMs));
    report('load average (1 min) on this machine', loadavg()[0].toFixed(1));
    report('server create → domain started (ACTIVE), cached image, 1 boot ×5', `p50 ${fmt(oneCp.p50)}  min ${fmt(Math.min(...one.map((b) => b.controlPlaneMs)))}`);
    report('  of which the driver spawn (host-side steps, virsh start)', `p50 ${fmt(oneHost.p50)}  min ${fmt(Math.min(...one.map((b) => b.hostSpawnMs)))}`);
    report('domain started → guest marker (TCG guest boot), 1 boot', fmt(one[0].guestMs));
    const ten = await bootMany(api, imageId, 10);
    const cp = summarize(ten.map((b) => b.controlPlaneMs));
    const g = summarize(ten.map((b) => b.guestMs));
    const total = summarize(ten.map((b) => b.controlPlaneMs + b.guestMs));
    report('10 concurrent boots on 2 hosts: create → ACTIVE', `p50 ${fmt(cp.p50)}  max ${fmt(Math.max(...ten.map((b) => b.controlPlaneMs)))}`);
    report('10 concurrent boots on 2 hosts: driver spawn', `p50 ${fmt(summarize(ten.map((b) => b.hostSpawnMs)).p50)}  max ${fmt(Math.max(...ten.map((b) => b.hostSpawnMs)))}`);
    report('10 concurrent boots on 2 hosts: ACTIVE → marker', `p50 ${fmt(g.p50)}  max ${fmt(Math.max(...ten.map((b) => b.guestMs)))}`);
    report('10 concurrent boots on 2 hosts: create → all markers', fmt(Math.max(...ten.map((b) => b.controlPlaneMs + b.guestMs))) + `  (p50 ${fmt(total.p50)})`);
  } finally {
    await serve.stop();
    await rack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
