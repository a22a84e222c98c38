// Real-host boot benchmark on the test rack (needs root): time from `server create` to the guest's
// marker line with a cached image, split into control-plane time (until the domain is started and
// the server is ACTIVE) and guest boot (until the marker), for one boot and for 10 at once on 2 hosts.
// Run: node bin/tsx-run.mjs test/bench/rack-boot.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  guestMs: number;
}

async function bootMany(api: ApiClient, imageId: string, count: number): Promise<Boot[]> {
  const t0 = performance.now();
  const created = await Promise.all(
    Array.from({ length: count }, (_, i) => api.rest('POST', '/compute/v2.1/servers', { server: { name: `bench-${count}-${i}`, imageRef: imageId, flavorRef: '1', networks: 'auto' } }, MV)),
  );
  const ids = created.map((c) => c.body.server.id as string);
  const active = new Map<string, number>();
  const marked = new Map<string, number>();
  while (marked.size < ids.length) {
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
  for (const id of ids) await api.rest('DELETE', `/compute/v2.1/servers/${id}`);
  for (const id of ids) while ((await api.rest('GET', `/compute/v2.1/servers/${id}`)).status !== 404) await sleep(200);
  return ids.map((id) => ({ controlPlaneMs: active.get(id)! - t0, guestMs: marked.get(id)! - active.get(id)! }));
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
    report('server create → domain started (ACTIVE), cached image, 1 boot', fmt(one[0].controlPlaneMs));
    report('domain started → guest marker (TCG guest boot), 1 boot', fmt(one[0].guestMs));
    const ten = await bootMany(api, imageId, 10);
    const cp = summarize(ten.map((b) => b.controlPlaneMs));
    const g = summarize(ten.map((b) => b.guestMs));
    const total = summarize(ten.map((b) => b.controlPlaneMs + b.guestMs));
    report('10 concurrent boots on 2 hosts: create → ACTIVE', `p50 ${fmt(cp.p50)}  max ${fmt(Math.max(...ten.map((b) => b.controlPlaneMs)))}`);
    report('10 concurrent boots on 2 hosts: ACTIVE → marker', `p50 ${fmt(g.p50)}  max ${fmt(Math.max(...ten.map((b) => b.guestMs)))}`);
    report('10 concurrent boots on 2 hosts: create → all markers', fmt(Math.max(...ten.map((b) => b.controlPlaneMs + b.guestMs))) + `  (p50 ${fmt(total.p50)})`);
  } finally {
    await serve.stop();
    await rack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
