// /flavors (+ /detail, show, create/update/delete for admins) and os-extra_specs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FlavorView } from '../../../compute/types';
import type { FlavorFilter } from '../../../compute/flavors';
import type { ControlPlane } from '../../../control-plane';
import { badRequest, DeskError } from '../../../core/errors';
import { authOf } from '../auth';
import { links, nextLink } from './links';
import { atLeast } from './microversion';
import { pageParams, queryOf, requireAdmin } from './policy';
import { descriptionSchema, nameSchema, nonNegativeInt, positiveInt } from './schemas';
import { novaParse } from './validate';

export function renderFlavor(req: FastifyRequest, cp: ControlPlane, f: FlavorView, detail: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: f.id, name: f.name };
  if (detail) {
    Object.assign(out, {
      ram: f.ram,
      disk: f.disk,
      vcpus: f.vcpus,
      'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
      'OS-FLV-DISABLED:disabled': f.disabled,
      swap: atLeast(req, '2.75') ? f.swap : f.swap || '',
      rxtx_factor: f.rxtxFactor,
      'os-flavor-access:is_public': f.isPublic,
    });
  }
  out.links = links(req, cp, `flavors/${f.id}`);
  if (atLeast(req, '2.55')) out.description = f.description;
  if (detail && atLeast(req, '2.61')) out.extra_specs = f.extraSpecs;
  return out;
}

const SORT_KEYS = ['flavorid', 'name', 'memory_mb', 'vcpus', 'root_gb', 'created_at'] as const;

function filterOf(req: FastifyRequest): FlavorFilter {
  const q = queryOf(req);
  const ctx = authOf(req);
  const f: FlavorFilter = { ...pageParams(q) };
  const pub = q.is_public?.toLowerCase();
  // Non-admins only ever see public flavors; admins may ask for all with is_public=None.
  if (!ctx.isAdmin) f.isPublic = true;
  else if (pub === 'none') f.isPublic = null;
  else if (pub !== undefined) f.isPublic = ['1', 't', 'true', 'on', 'y', 'yes'].includes(pub);
  else f.isPublic = true;
  for (const [k, key] of [['minDisk', 'minDisk'], ['minRam', 'minRam']] as const) {
    if (q[k] !== undefined) {
      if (!/^\d{1,12}$/.test(q[k])) throw badRequest(`Invalid ${k} filter [${q[k].slice(0, 50)}]`);
      f[key] = Number(q[k]);
    }
  }
  if (q.sort_key !== undefined) {
    if (!(SORT_KEYS as readonly string[]).includes(q.sort_key)) throw badRequest(`Invalid input received: sort_key must be one of ${SORT_KEYS.join(', ')}`);
    f.sortKey = q.sort_key as FlavorFilter['sortKey'];
  }
  if (q.sort_dir === 'asc' || q.sort_dir === 'desc') f.sortDir = q.sort_dir;
  return f;
}

function createSchema(req: FastifyRequest) {
  return z.strictObject({
    flavor: z.strictObject({
      name: nameSchema,
      id: z.union([z.null(), z.string().min(1).max(255).regex(/^(?! )[a-zA-Z0-9. _-]+(?<! )$/)]).optional(),
      ram: positiveInt,
      vcpus: positiveInt,
      disk: nonNegativeInt,
      'OS-FLV-EXT-DATA:ephemeral': nonNegativeInt.optional(),
      swap: z.union([nonNegativeInt, z.literal('').transform(() => 0)]).optional(),
      rxtx_factor: z.number().positive().max(3.40282e38).optional(),
      'os-flavor-access:is_public': z.boolean().optional(),
      ...(atLeast(req, '2.55') ? { description: descriptionSchema.optional() } : {}),
    }),
  });
}

export function registerFlavorRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const list = (detail: boolean) => async (req: FastifyRequest) => {
    const f = filterOf(req);
    const flavors = cp.compute.flavors.list(f);
    const body: Record<string, unknown> = { flavors: flavors.map((x) => renderFlavor(req, cp, x, detail)) };
    if (f.limit !== undefined && flavors.length === f.limit && flavors.length) body.flavors_links = nextLink(req, cp, detail ? 'flavors/detail' : 'flavors', flavors[flavors.length - 1].id);
    return body;
  };
  app.get('/flavors', list(false));
  app.get('/flavors/detail', list(true));
  type P = { Params: { id: string; key: string } };
  const visible = (req: FastifyRequest, id: string): FlavorView => {
    const f = cp.compute.flavors.get(id);
    if (!f.isPublic && !authOf(req).isAdmin) throw new DeskError('NotFound', `Flavor ${id} could not be found.`);
    return f;
  };
  app.get<P>('/flavors/:id', async (req) => ({ flavor: renderFlavor(req, cp, visible(req, req.params.id), true) }));

  app.post('/flavors', async (req) => {
    requireAdmin(req, 'os_compute_api:os-flavor-manage:create');
    const b = novaParse(createSchema(req), req.body).flavor;
    const f = cp.compute.flavors.create({
      id: b.id ?? undefined,
      name: b.name,
      ram: b.ram,
      vcpus: b.vcpus,
      disk: b.disk,
      ephemeral: b['OS-FLV-EXT-DATA:ephemeral'],
      swap: b.swap,
      rxtxFactor: b.rxtx_factor,
      isPublic: b['os-flavor-access:is_public'],
      description: 'description' in b ? (b.description as string | null | undefined) : undefined,
    });
    return { flavor: renderFlavor(req, cp, f, true) };
  });
  app.put<P>('/flavors/:id', async (req) => {
    if (!atLeast(req, '2.55')) throw new DeskError('NotFound', 'The resource could not be found.');
    requireAdmin(req, 'os_compute_api:os-flavor-manage:update');
    const b = novaParse(z.strictObject({ flavor: z.strictObject({ description: descriptionSchema }) }), req.body);
    return { flavor: renderFlavor(req, cp, cp.compute.flavors.update(req.params.id, { description: b.flavor.description }), true) };
  });
  app.delete<P>('/flavors/:id', async (req, reply) => {
    requireAdmin(req, 'os_compute_api:os-flavor-manage:delete');
    cp.compute.flavors.delete(req.params.id);
    return reply.code(202).send();
  });

  app.get<P>('/flavors/:id/os-extra_specs', async (req) => ({ extra_specs: visible(req, req.params.id).extraSpecs }));
  app.get<P>('/flavors/:id/os-extra_specs/:key', async (req) => {
    const specs = visible(req, req.params.id).extraSpecs;
    if (!(req.params.key in specs)) throw new DeskError('NotFound', `Flavor ${req.params.id} has no extra specs with key ${req.params.key}.`);
    return { [req.params.key]: specs[req.params.key] };
  });
  const specsSchema = z.record(z.string().min(1).max(255).regex(/^[\w.:-]+$/), z.union([z.string().max(255), z.number()]).transform(String));
  app.post<P>('/flavors/:id/os-extra_specs', async (req) => {
    requireAdmin(req, 'os_compute_api:os-flavor-extra-specs:create');
    const b = novaParse(z.strictObject({ extra_specs: specsSchema }), req.body);
    return { extra_specs: cp.compute.flavors.setExtraSpecs(req.params.id, b.extra_specs) };
  });
  app.put<P>('/flavors/:id/os-extra_specs/:key', async (req) => {
    requireAdmin(req, 'os_compute_api:os-flavor-extra-specs:update');
    const b = novaParse(specsSchema, req.body);
    const keys = Object.keys(b);
    if (keys.length !== 1) throw badRequest('Request body contains too many items');
    if (keys[0] !== req.params.key) throw badRequest('Request body and URI mismatch');
    cp.compute.flavors.setExtraSpecs(req.params.id, b);
    return b;
  });
  app.delete<P>('/flavors/:id/os-extra_specs/:key', async (req, reply) => {
    requireAdmin(req, 'os_compute_api:os-flavor-extra-specs:delete');
    cp.compute.flavors.deleteExtraSpec(req.params.id, req.params.key);
    return reply.code(200).send();
  });
  app.get<P>('/flavors/:id/os-flavor-access', async (req) => {
    requireAdmin(req, 'os_compute_api:os-flavor-access');
    const f = cp.compute.flavors.get(req.params.id);
    if (f.isPublic) throw new DeskError('NotFound', 'Access list not available for public flavors.');
    return { flavor_access: [] };
  });
}
