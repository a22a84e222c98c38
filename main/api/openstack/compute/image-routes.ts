// Nova's proxy APIs to the image service: /images[/detail|/{id}] until 2.35 and
// /images/{id}/metadata[/{key}] until 2.38, answering 404 from then on as Nova does.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ImageProxyFilter } from '../../../compute/image-proxy';
import type { ControlPlane } from '../../../control-plane';
import { badRequest } from '../../../core/errors';
import type { ImageView } from '../../../image/image-types';
import { authOf } from '../auth';
import { baseUrl } from '../base-url';
import { bookmark, isoZ, links, nextLink } from './links';
import { requireBelow } from './microversion';
import { changesSince, pageParams, queryOf } from './policy';
import { metadataSchema } from './schemas';
import { novaParse, repr } from './validate';

const STATUS: Record<string, string> = { active: 'ACTIVE', queued: 'SAVING', saving: 'SAVING', deleted: 'DELETED', pending_delete: 'DELETED', killed: 'ERROR' };
const PROGRESS: Record<string, number> = { queued: 25, saving: 50, active: 100 };

function imageLinks(req: FastifyRequest, cp: ControlPlane, id: string) {
  return [...links(req, cp, `images/${id}`), { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${baseUrl(req, cp)}/image/images/${id}` }];
}

function brief(req: FastifyRequest, cp: ControlPlane, i: ImageView) {
  return { id: i.id, name: i.name, links: imageLinks(req, cp, i.id) };
}

function detail(req: FastifyRequest, cp: ControlPlane, i: ImageView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: i.id,
    name: i.name,
    minRam: i.min_ram,
    minDisk: i.min_disk,
    metadata: i.properties,
    created: isoZ(i.created_at),
    updated: isoZ(i.updated_at),
    status: STATUS[i.status] ?? 'UNKNOWN',
    progress: PROGRESS[i.status] ?? 0,
    'OS-EXT-IMG-SIZE:size': i.size,
    links: imageLinks(req, cp, i.id),
  };
  const server = i.properties.instance_uuid;
  if (server !== undefined) out.server = { id: server, links: [...links(req, cp, `servers/${server}`).slice(0, 1), ...bookmark(req, cp, `servers/${server}`)] };
  const auto = i.properties.auto_disk_config;
  if (auto !== undefined) out['OS-DCF:diskConfig'] = /^(1|t|true|on|y|yes)$/i.test(auto) ? 'AUTO' : 'MANUAL';
  return out;
}

function filterOf(req: FastifyRequest): ImageProxyFilter {
  const q = queryOf(req);
  const f: ImageProxyFilter = { ...pageParams(q) };
  if (q.name !== undefined) f.name = q.name;
  if (q.status !== undefined) f.status = q.status;
  if (q.type !== undefined) f.type = q.type;
  // A server filter may be the server's href; Nova keeps its last segment.
  if (q.server !== undefined) f.server = q.server.split('/').pop();
  f.changesSince = changesSince(q);
  for (const [key, name] of [['minRam', 'minRam'], ['minDisk', 'minDisk']] as const) {
    if (q[key] === undefined) continue;
    if (!/^\d{1,9}$/.test(q[key])) throw badRequest(`Invalid input for query parameters ${key}. Value: ${q[key].slice(0, 50)}. '${q[key].slice(0, 50)}' does not match '^[0-9]+$'`);
    f[name] = Number(q[key]);
  }
  const props = Object.entries(q).filter(([k]) => k.startsWith('property-'));
  if (props.length) f.properties = Object.fromEntries(props.map(([k, v]) => [k.slice('property-'.length), v]));
  return f;
}

/** Nova's meta body: exactly one property, worded as jsonschema words minProperties/maxProperties. */
const oneItem = metadataSchema.superRefine((m, ctx) => {
  const n = Object.keys(m).length;
  if (n !== 1) ctx.addIssue({ code: 'custom', message: `${repr(m)} ${n === 0 ? 'does not have enough properties' : 'has too many properties'}` });
});

export function registerImageRoutes(app: FastifyInstance, cp: ControlPlane): void {
  type P = { Params: { id: string } };
  type K = { Params: { id: string; key: string } };
  const proxy = cp.compute.imageProxy;

  const list = (isDetail: boolean) => async (req: FastifyRequest) => {
    requireBelow(req, '2.36');
    const f = filterOf(req);
    const images = proxy.list(authOf(req), f);
    const body: Record<string, unknown> = { images: images.map((i) => (isDetail ? detail(req, cp, i) : brief(req, cp, i))) };
    if (f.limit !== undefined && images.length === f.limit && images.length) body.images_links = nextLink(req, cp, isDetail ? 'images/detail' : 'images', images[images.length - 1].id);
    return body;
  };
  app.get('/images', list(false));
  app.get('/images/detail', list(true));
  app.get<P>('/images/:id', async (req) => {
    requireBelow(req, '2.36');
    return { image: detail(req, cp, proxy.get(authOf(req), req.params.id)) };
  });
  app.delete<P>('/images/:id', async (req, reply) => {
    requireBelow(req, '2.36');
    proxy.delete(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get<P>('/images/:id/metadata', async (req) => {
    requireBelow(req, '2.39');
    return { metadata: proxy.metadata(authOf(req), req.params.id) };
  });
  app.post<P>('/images/:id/metadata', async (req) => {
    requireBelow(req, '2.39');
    const body = novaParse(z.strictObject({ metadata: metadataSchema }), req.body);
    return { metadata: proxy.setMetadata(authOf(req), req.params.id, body.metadata, false) };
  });
  app.put<P>('/images/:id/metadata', async (req) => {
    requireBelow(req, '2.39');
    const body = novaParse(z.strictObject({ metadata: metadataSchema }), req.body);
    return { metadata: proxy.setMetadata(authOf(req), req.params.id, body.metadata, true) };
  });
  app.get<K>('/images/:id/metadata/:key', async (req) => {
    requireBelow(req, '2.39');
    return { meta: { [req.params.key]: proxy.metadataItem(authOf(req), req.params.id, req.params.key) } };
  });
  app.put<K>('/images/:id/metadata/:key', async (req) => {
    requireBelow(req, '2.39');
    const body = novaParse(z.strictObject({ meta: oneItem }), req.body);
    if (!(req.params.key in body.meta)) throw badRequest('Request body and URI mismatch');
    proxy.setMetadata(authOf(req), req.params.id, body.meta, false);
    return { meta: body.meta };
  });
  app.delete<K>('/images/:id/metadata/:key', async (req, reply) => {
    requireBelow(req, '2.39');
    proxy.deleteMetadataItem(authOf(req), req.params.id, req.params.key);
    return reply.code(204).send();
  });
}
