import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { authOf, requireAuth } from '../auth';
import { baseUrl } from '../base-url';
import { EXTENSIONS } from './extensions';
import { parseNetworkQuery } from './query';
import { neutronNetwork } from './render';

// Collections clients look at before DeskStack has real subnets, ports, routers or security groups:
// they answer with empty lists, and a show is the resource's own NotFound.
const EMPTY: Array<{ collection: string; member: string; notFound: (id: string) => [string, string] }> = [
  { collection: 'subnets', member: 'subnet', notFound: (id) => ['SubnetNotFound', `Subnet ${id} could not be found.`] },
  { collection: 'ports', member: 'port', notFound: (id) => ['PortNotFound', `Port ${id} could not be found.`] },
  { collection: 'routers', member: 'router', notFound: (id) => ['RouterNotFound', `Router ${id} could not be found.`] },
  { collection: 'floatingips', member: 'floatingip', notFound: (id) => ['FloatingIPNotFound', `Floating IP ${id} could not be found`] },
  { collection: 'security-groups', member: 'security_group', notFound: (id) => ['SecurityGroupNotFound', `Security group ${id} does not exist`] },
  { collection: 'security-group-rules', member: 'security_group_rule', notFound: (id) => ['SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`] },
  { collection: 'subnetpools', member: 'subnetpool', notFound: (id) => ['SubnetPoolNotFound', `Subnet pool ${id} could not be found.`] },
];

const RESOURCES = [
  { name: 'network', collection: 'networks' },
  ...EMPTY.map((e) => ({ name: e.member, collection: e.collection })),
];

interface IdParams {
  id: string;
}

const neutronError = (code: 'NotFound' | 'BadRequest', type: string, message: string) => new DeskError(code, message, { type });

const fieldsOf = (req: FastifyRequest): string[] | undefined => {
  const f = (req.query as Record<string, string | string[] | undefined>).fields;
  return f === undefined ? undefined : Array.isArray(f) ? f : [f];
};

/** Neutron v2.0 read side under /network: versions, resource index, networks, extensions, empty collections. */
export async function registerNetworkApi(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  const auth = requireAuth(cp);
  const v2 = (req: FastifyRequest) => `${baseUrl(req, cp)}/network/v2.0`;

  app.get('/', async (req) => ({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${v2(req)}/`, rel: 'self' }] }] }));

  const index = async (req: FastifyRequest) => ({
    resources: RESOURCES.map((r) => ({ links: [{ href: `${v2(req)}/${r.collection}`, rel: 'self' }], name: r.name, collection: r.collection })),
  });
  app.get('/v2.0', { onRequest: auth }, index);
  app.get('/v2.0/', { onRequest: auth }, index);

  app.get('/v2.0/networks', { onRequest: auth }, async (req) => {
    const ctx = authOf(req);
    const q = parseNetworkQuery((req.query ?? {}) as Record<string, string | string[]>);
    const page = q.none ? { networks: [] } : cp.networks.list(ctx, q.filters);
    const docs = page.networks
      .map((n) => neutronNetwork(n, ctx))
      .filter((d) => Object.entries(q.docFilters).every(([k, vals]) => vals.some((v) => String(d[k]).toLowerCase() === v.toLowerCase())))
      .map((d) => (q.fields?.length ? Object.fromEntries(q.fields.filter((f) => f in d).map((f) => [f, d[f]])) : d));
    const body: Record<string, unknown> = { networks: docs };
    if ('nextMarker' in page && page.nextMarker) {
      const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
      params.set('marker', page.nextMarker);
      body.networks_links = [{ rel: 'next', href: `${v2(req)}/networks?${params.toString()}` }];
    }
    return body;
  });

  app.get<{ Params: IdParams }>('/v2.0/networks/:id', { onRequest: auth }, async (req) => {
    const ctx = authOf(req);
    return { network: neutronNetwork(cp.networks.get(ctx, req.params.id), ctx, fieldsOf(req)) };
  });

  app.get('/v2.0/extensions', { onRequest: auth }, async () => ({ extensions: EXTENSIONS }));
  app.get<{ Params: IdParams }>('/v2.0/extensions/:id', { onRequest: auth }, async (req) => {
    const found = EXTENSIONS.find((e) => e.alias === req.params.id);
    if (!found) throw neutronError('NotFound', 'ExtensionNotFound', `Extension with alias ${req.params.id.slice(0, 255)} does not exist`);
    return { extension: found };
  });

  for (const e of EMPTY) {
    const key = e.collection.replaceAll('-', '_');
    app.get(`/v2.0/${e.collection}`, { onRequest: auth }, async () => ({ [key]: [] }));
    app.get<{ Params: IdParams }>(`/v2.0/${e.collection}/:id`, { onRequest: auth }, async (req) => {
      const [type, message] = e.notFound(req.params.id.slice(0, 255));
      throw neutronError('NotFound', type, message);
    });
  }
}
