// /servers/{id}/os-instance-actions[/{request_id}]
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InstanceActionView } from '../../../compute/types';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { hostIdHash } from './server-view';
import { nextLink, novaTime } from './links';
import { atLeast } from './microversion';
import { changesSince, pageParams, queryOf } from './policy';

function renderAction(req: FastifyRequest, a: InstanceActionView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: a.action,
    instance_uuid: a.serverId,
    message: a.message,
    project_id: a.projectId,
    request_id: a.requestId,
    start_time: novaTime(a.startTime),
    user_id: a.userId,
  };
  if (atLeast(req, '2.58')) out.updated_at = novaTime(a.updatedAt);
  return out;
}

export function registerInstanceActionRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get<{ Params: { id: string } }>('/servers/:id/os-instance-actions', async (req) => {
    const q = queryOf(req);
    const page = atLeast(req, '2.58') ? pageParams(q) : {};
    const opts = {
      ...page,
      ...(atLeast(req, '2.58') ? { changesSince: changesSince(q) } : {}),
      ...(atLeast(req, '2.66') ? { changesBefore: changesSince(q, 'changes-before') } : {}),
    };
    const actions = cp.compute.listActions(authOf(req), req.params.id, opts, atLeast(req, '2.21'));
    const body: Record<string, unknown> = { instanceActions: actions.map((a) => renderAction(req, a)) };
    if (page.limit !== undefined && actions.length === page.limit && actions.length) {
      body.links = nextLink(req, cp, `servers/${req.params.id}/os-instance-actions`, actions[actions.length - 1].requestId);
    }
    return body;
  });
  app.get<{ Params: { id: string; rid: string } }>('/servers/:id/os-instance-actions/:rid', async (req) => {
    const ctx = authOf(req);
    const a = cp.compute.getAction(ctx, req.params.id, req.params.rid, atLeast(req, '2.21'));
    const server = cp.compute.getServerAnyState(ctx, req.params.id);
    const events = (a.events ?? []).map((e) => {
      const ev: Record<string, unknown> = { event: e.event, start_time: novaTime(e.startTime), finish_time: novaTime(e.finishTime), result: e.result };
      if (ctx.isAdmin) ev.traceback = e.traceback;
      if (atLeast(req, '2.62')) {
        if (ctx.isAdmin) ev.host = e.host ?? '';
        ev.hostId = e.host ? hostIdHash(server.projectId, e.host) : '';
      }
      if (atLeast(req, '2.84')) ev.details = e.result === 'Error' ? e.traceback : null;
      return ev;
    });
    return { instanceAction: { ...renderAction(req, a), events } };
  });
}

