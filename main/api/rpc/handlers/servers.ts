import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import { DeskError } from '../../../core/errors';
import type { ServerView as NovaServer } from '../../../compute/types';
import { visibleFault } from '../../../compute/fault-view';
import type { InstanceActionView, ServerView } from '../../contract/views';
import type { Handler } from '../dispatch';

const PAGE = 1000;
// The UI lists up to this many instances (the table virtualises its rows).
const MAX_PAGES = 50;

/** Maps compute's server to the UI's view; image names are looked up once per call. */
export function serverMapper(cp: ControlPlane, ctx: RequestContext): (s: NovaServer) => ServerView {
  const imageNames = new Map<string, string | null>();
  const imageName = (id: string): string | null => {
    if (!id) return null;
    if (!imageNames.has(id)) {
      try {
        imageNames.set(id, cp.images.get(ctx, id).name);
      } catch {
        imageNames.set(id, null);
      }
    }
    return imageNames.get(id) ?? null;
  };
  // Members never see the infrastructure behind a 500 fault (hosts, executor output); admins do.
  const faultFor = (id: string, f: NonNullable<NovaServer['fault']>) => {
    const v = visibleFault(id, f, ctx.isAdmin);
    return { code: v.code, message: v.message, ...(v.details ? { details: v.details } : {}) };
  };
  return (s) => ({
    id: s.id,
    name: s.name,
    projectId: s.projectId,
    status: s.status,
    taskState: s.taskState,
    powerState: s.powerState,
    hostId: s.hostId,
    hostName: s.hostName,
    flavorId: s.flavorId,
    flavorName: s.flavor.name,
    vcpus: s.flavor.vcpus,
    ramMb: s.flavor.ram,
    diskGb: s.flavor.disk,
    imageId: s.imageId,
    imageName: imageName(s.imageId),
    keyName: s.keyName,
    addresses: s.addresses.map((a) => ({ network: a.networkName, addr: a.addr, version: a.version, mac: a.mac })),
    metadata: s.metadata,
    fault: s.fault ? faultFor(s.id, s.fault) : null,
    progress: s.progress,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  });
}

function listAll(cp: ControlPlane, ctx: RequestContext, allTenants: boolean): NovaServer[] {
  const out: NovaServer[] = [];
  let marker: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = cp.compute.listServers(ctx, { allTenants, limit: PAGE, sortDir: 'desc', ...(marker ? { marker } : {}) });
    out.push(...page);
    if (page.length < PAGE) break;
    marker = page[page.length - 1].id;
  }
  return out;
}

export const serverList: Handler<'serverList'> = ({ cp, ctx }, input) => {
  const map = serverMapper(cp, ctx);
  const allTenants = Boolean(input.allProjects && ctx.isAdmin);
  if (input.ids) {
    // A few ids (pushed changes) are fetched one by one; a gone or invisible one is left out.
    if (input.ids.length <= 50) {
      const out: ServerView[] = [];
      for (const id of new Set(input.ids)) {
        try {
          const s = cp.compute.getServer(ctx, id);
          if (allTenants || s.projectId === ctx.projectId) out.push(map(s));
        } catch (err) {
          if (!(err instanceof DeskError && err.code === 'NotFound')) throw err;
        }
      }
      return out;
    }
    const want = new Set(input.ids);
    return listAll(cp, ctx, allTenants).filter((s) => want.has(s.id)).map(map);
  }
  return listAll(cp, ctx, allTenants).map(map);
};

export const serverGet: Handler<'serverGet'> = ({ cp, ctx }, input) => serverMapper(cp, ctx)(cp.compute.getServer(ctx, input.id));

export const serverCreate: Handler<'serverCreate'> = async ({ cp, ctx }, input) => {
  const res = await cp.compute.createServers(ctx, {
    name: input.name,
    imageRef: input.imageId,
    flavorRef: input.flavorId,
    minCount: input.count,
    maxCount: input.count,
    networks: input.networkIds.length ? input.networkIds.map((uuid) => ({ uuid })) : 'none',
    ...(input.keyName ? { keyName: input.keyName } : {}),
    // Compute takes user-data base64-encoded, as Nova's API does.
    ...(input.userData ? { userData: Buffer.from(input.userData, 'utf8').toString('base64') } : {}),
  });
  const map = serverMapper(cp, ctx);
  return res.servers.map(map);
};

export const serverAction: Handler<'serverAction'> = ({ cp, ctx }, input) => {
  switch (input.action) {
    case 'start':
      cp.compute.startServer(ctx, input.id);
      break;
    case 'stop':
      cp.compute.stopServer(ctx, input.id);
      break;
    case 'reboot':
      cp.compute.rebootServer(ctx, input.id, 'SOFT');
      break;
    case 'hardReboot':
      cp.compute.rebootServer(ctx, input.id, 'HARD');
      break;
  }
  return serverMapper(cp, ctx)(cp.compute.getServer(ctx, input.id));
};

export const serverDelete: Handler<'serverDelete'> = ({ cp, ctx }, input) => {
  cp.compute.deleteServer(ctx, input.id);
  return { ok: true };
};

export const serverConsoleLog: Handler<'serverConsoleLog'> = async ({ cp, ctx }, input) => ({ output: await cp.compute.consoleOutput(ctx, input.id, input.lines) });

export const serverActions: Handler<'serverActions'> = ({ cp, ctx }, input): InstanceActionView[] =>
  cp.compute.listActions(ctx, input.id).map((a) => ({
    action: a.action,
    requestId: a.requestId,
    userId: a.userId,
    startTime: a.startTime,
    finishTime: a.finishTime,
    message: a.message,
    events: (a.events ?? []).map((e) => ({ event: e.event, startTime: e.startTime, finishTime: e.finishTime, result: e.result, host: e.host })),
  }));
