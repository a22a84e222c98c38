import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createControlPlane, type ControlPlane } from '../../main/control-plane';
import type { RequestContext } from '../../main/core/context';
import { createLogger } from '../../main/core/log';
import type { ServerView } from '../../main/compute/types';

export interface ComputeFixture {
  cp: ControlPlane;
  dataDir: string;
  admin: RequestContext;
  imageId: string;
  networkId: string;
  close(): Promise<void>;
}

/** A real control plane on the demo rack in a temporary folder. */
export async function computeFixture(opts: { delayScale?: number; dataDir?: string } = {}): Promise<ComputeFixture> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'deskstack-compute-'));
  const cp = await createControlPlane({ dataDir, demo: true, adminPassword: 'test-secret', config: { fakeDelayScale: opts.delayScale ?? 0 }, logger: createLogger('silent') });
  const admin = cp.identity.loginLocalAdmin();
  const imageId = cp.images.list(admin, {}).images.find((i) => i.name === 'cirros-0.3.4-x86_64-uec')!.id;
  const networkId = cp.networks.list(admin, {}).networks.find((n) => n.name === 'private')!.id;
  return {
    cp,
    dataDir,
    admin,
    imageId,
    networkId,
    async close() {
      await cp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A member of a fresh project, for isolation tests. */
export async function memberOf(cp: ControlPlane, admin: RequestContext, projectName: string): Promise<RequestContext> {
  const project = cp.identity.createProject(admin, { name: projectName });
  const user = await cp.identity.createUser(admin, { name: `${projectName}-user`, password: 'pw-12345678' });
  const member = cp.identity.roleByName('member')!;
  cp.identity.assignRole(admin, { userId: user.id, projectId: project.id, roleId: member.id });
  return cp.identity.contextFor(user.id, project.id);
}

export async function bootAndSettle(f: ComputeFixture, ctx: RequestContext, name: string, extra: Record<string, unknown> = {}): Promise<ServerView> {
  const res = await f.cp.compute.createServers(ctx, { name, imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }], ...extra });
  for (const s of res.servers) await f.cp.compute.settled(s.id);
  return f.cp.compute.getServer(ctx, res.servers[0].id);
}

/** Resolves once the server's task_state is `state` (watching the bus, not polling). */
export function untilTaskState(cp: ControlPlane, id: string, state: string): Promise<void> {
  const now = () => cp.db.prepare('SELECT task_state FROM servers WHERE id = ?').pluck().get(id);
  return new Promise((resolve) => {
    if (now() === state) return resolve();
    const off = cp.bus.subscribe((e) => {
      if (e.type === 'resource' && e.id === id && now() === state) {
        off();
        resolve();
      }
    });
  });
}

/** The control plane dies: the database goes away under the running work, which never finishes. */
export async function crash(cp: ControlPlane): Promise<void> {
  cp.db.close();
  cp.tasks.abortAll();
  await cp.compute.stop();
  await cp.hosts.stop();
}
