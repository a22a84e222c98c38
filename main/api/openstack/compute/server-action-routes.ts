// POST /servers/{id}/action with exactly one action key; 202 with no body, except console output and rebuild.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { badRequest, conflict, DeskError } from '../../../core/errors';
import { authOf } from '../auth';
import { atLeast } from './microversion';
import { requireAdmin } from './policy';
import { rebuildAction } from './rebuild-action';
import { nameSchema } from './schemas';
import { novaParse } from './validate';

/** Nova's other server actions: known, so a missing server is still a 404, but not (yet) done by DeskStack. */
const NOVA_ACTIONS = new Set([
  'changePassword', 'confirmResize', 'createBackup', 'createImage', 'evacuate', 'injectNetworkInfo', 'migrate', 'os-migrateLive', 'pause', 'unpause',
  'rescue', 'unrescue', 'resetNetwork', 'resize', 'revertResize', 'shelve', 'shelveOffload', 'unshelve', 'suspend', 'resume',
  'trigger_crash_dump', 'addFixedIp', 'removeFixedIp', 'addFloatingIp', 'removeFloatingIp', 'os-getVNCConsole', 'os-getSPICEConsole',
  'os-getRDPConsole', 'os-getSerialConsole',
]);

const empty = z.union([z.null(), z.strictObject({})]);
const reboot = z.strictObject({ type: z.string().regex(/^(SOFT|HARD|soft|hard|Soft|Hard)$/) });
const consoleLen = z.strictObject({ length: z.union([z.null(), z.number().int().min(-1), z.string().regex(/^-?[0-9]+$/).transform(Number)]).optional() });
const lockBody = (withReason: boolean) => z.union([z.null(), withReason ? z.strictObject({ locked_reason: z.string().max(255).optional() }) : z.strictObject({})]);
const resetState = z.strictObject({ state: z.enum(['active', 'error']) });

export function registerServerActionRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.post<{ Params: { id: string } }>('/servers/:id/action', async (req, reply) => {
    const ctx = authOf(req);
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Malformed request body: an action object such as {"os-stop": null} is required.');
    const keys = Object.keys(body);
    if (keys.length !== 1) throw badRequest(`There is no such action: ${keys.length ? keys.join(', ').slice(0, 100) : '(none)'}`);
    const action = keys[0];
    const id = req.params.id;
    switch (action) {
      case 'os-start':
        novaParse(z.strictObject({ 'os-start': empty }), body);
        cp.compute.startServer(ctx, id);
        break;
      case 'os-stop':
        novaParse(z.strictObject({ 'os-stop': empty }), body);
        cp.compute.stopServer(ctx, id);
        break;
      case 'reboot': {
        const b = novaParse(z.strictObject({ reboot }), body);
        cp.compute.rebootServer(ctx, id, b.reboot.type.toUpperCase() as 'SOFT' | 'HARD');
        break;
      }
      case 'rebuild':
        return rebuildAction(req, reply, cp, id, body);
      case 'os-getConsoleOutput': {
        const b = novaParse(z.strictObject({ 'os-getConsoleOutput': consoleLen }), body);
        const len = b['os-getConsoleOutput'].length;
        const output = await cp.compute.consoleOutput(ctx, id, len === null || len === undefined || len < 0 ? undefined : len);
        return reply.code(200).send({ output });
      }
      case 'lock':
        novaParse(z.strictObject({ lock: lockBody(atLeast(req, '2.73')) }), body);
        cp.compute.lockServer(ctx, id, true);
        break;
      case 'unlock':
        novaParse(z.strictObject({ unlock: empty }), body);
        cp.compute.lockServer(ctx, id, false);
        break;
      case 'os-resetState': {
        requireAdmin(req, 'os_compute_api:os-admin-actions:reset_state');
        const b = novaParse(z.strictObject({ 'os-resetState': resetState }), body);
        cp.compute.resetState(ctx, id, b['os-resetState'].state);
        break;
      }
      case 'addSecurityGroup':
      case 'removeSecurityGroup': {
        const b = novaParse(z.strictObject({ [action]: z.strictObject({ name: nameSchema }) }), body) as Record<string, { name: string }>;
        if (action === 'addSecurityGroup') cp.compute.addSecurityGroup(ctx, id, b[action].name);
        else cp.compute.removeSecurityGroup(ctx, id, b[action].name);
        break;
      }
      case 'forceDelete':
      case 'restore':
        // Without soft delete (Nova's reclaim_instance_interval 0) no server is ever SOFT_DELETED.
        throw conflict(`Cannot '${action}' instance ${id} while it is in vm_state ${cp.compute.getServer(ctx, id).vmState}`);
      default:
        if (!NOVA_ACTIONS.has(action)) throw badRequest(`There is no such action: ${action.slice(0, 100)}`);
        // Nova finds the server first: a missing one is a 404 whatever the action.
        cp.compute.getServer(ctx, id);
        throw new DeskError('NotImplemented', `DeskStack does not support the '${action}' server action yet.`);
    }
    return reply.code(202).send();
  });
}
