import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { authOf, type requireAuth } from '../auth';
import { parseAssociation, parseNamespace, parseNamespaceQuery, parseObject, parseProperty, parseTagName, parseTagQuery, parseTags } from './metadef-input';
import { METADEF_SCHEMAS } from './metadef-schemas';

interface Ns {
  ns: string;
}
interface NsItem extends Ns {
  name: string;
}
type Query = Record<string, string | string[] | undefined>;

const queryOf = (req: FastifyRequest): Query => (req.query ?? {}) as Query;
const created = (reply: FastifyReply, body: unknown) => reply.code(201).send(body);
const noContent = (reply: FastifyReply) => reply.code(204).send();

/** Glance's metadata definitions catalog under /v2/metadefs, and its schemas. */
export function registerMetadefRoutes(app: FastifyInstance, cp: ControlPlane, auth: ReturnType<typeof requireAuth>): void {
  const md = () => cp.images.metadefs;
  const c = () => cp.images.metadefs.contents;
  const on = { onRequest: auth };

  app.get<{ Params: { name: string } }>('/v2/schemas/metadefs/:name', on, async (req) => {
    if (!Object.hasOwn(METADEF_SCHEMAS, req.params.name)) throw new DeskError('NotFound', `No schema named metadefs/${req.params.name.slice(0, 80)}.`);
    return METADEF_SCHEMAS[req.params.name];
  });

  // Namespaces
  app.get('/v2/metadefs/namespaces', on, async (req) => {
    const page = md().list(authOf(req), parseNamespaceQuery(queryOf(req)));
    const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    params.delete('marker');
    const rest = params.toString();
    const body: Record<string, unknown> = { namespaces: page.namespaces, first: `/v2/metadefs/namespaces${rest ? `?${rest}` : ''}`, schema: '/v2/schemas/metadefs/namespaces' };
    if (page.nextMarker) {
      params.set('marker', page.nextMarker);
      body.next = `/v2/metadefs/namespaces?${params.toString()}`;
    }
    return body;
  });
  app.post('/v2/metadefs/namespaces', on, async (req, reply) => {
    const ns = md().create(authOf(req), parseNamespace(req.body));
    return reply.code(201).header('location', ns.self).send(ns);
  });
  app.get<{ Params: Ns }>('/v2/metadefs/namespaces/:ns', on, async (req) => {
    const rt = queryOf(req).resource_type;
    return md().get(authOf(req), req.params.ns, typeof rt === 'string' ? rt : undefined);
  });
  app.put<{ Params: Ns }>('/v2/metadefs/namespaces/:ns', on, async (req) => md().update(authOf(req), req.params.ns, parseNamespace(req.body)));
  app.delete<{ Params: Ns }>('/v2/metadefs/namespaces/:ns', on, async (req, reply) => {
    md().delete(authOf(req), req.params.ns);
    return noContent(reply);
  });
  for (const part of ['objects', 'properties', 'tags'] as const) {
    app.delete<{ Params: Ns }>(`/v2/metadefs/namespaces/:ns/${part}`, on, async (req, reply) => {
      c().clear(authOf(req), req.params.ns, part);
      return noContent(reply);
    });
  }

  // Resource types
  app.get('/v2/metadefs/resource_types', on, async (req) => ({ resource_types: md().listResourceTypes(authOf(req)) }));
  app.get<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/resource_types', on, async (req) => ({ resource_type_associations: md().listAssociations(authOf(req), req.params.ns) }));
  app.post<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/resource_types', on, async (req, reply) => created(reply, md().associate(authOf(req), req.params.ns, parseAssociation(req.body))));
  app.delete<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/resource_types/:name', on, async (req, reply) => {
    md().dissociate(authOf(req), req.params.ns, req.params.name);
    return noContent(reply);
  });

  // Objects
  app.get<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/objects', on, async (req) => ({ objects: c().listObjects(authOf(req), req.params.ns), schema: 'v2/schemas/metadefs/objects' }));
  app.post<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/objects', on, async (req, reply) => created(reply, c().createObject(authOf(req), req.params.ns, parseObject(req.body))));
  app.get<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/objects/:name', on, async (req) => c().getObject(authOf(req), req.params.ns, req.params.name));
  app.put<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/objects/:name', on, async (req) => c().updateObject(authOf(req), req.params.ns, req.params.name, parseObject(req.body)));
  app.delete<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/objects/:name', on, async (req, reply) => {
    c().deleteObject(authOf(req), req.params.ns, req.params.name);
    return noContent(reply);
  });

  // Property definitions
  app.get<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/properties', on, async (req) => ({ properties: c().listProperties(authOf(req), req.params.ns) }));
  app.post<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/properties', on, async (req, reply) => {
    const p = parseProperty(req.body);
    return created(reply, c().createProperty(authOf(req), req.params.ns, p.name, p.definition));
  });
  app.get<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/properties/:name', on, async (req) => c().getProperty(authOf(req), req.params.ns, req.params.name));
  app.put<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/properties/:name', on, async (req) => {
    const p = parseProperty(req.body);
    return c().updateProperty(authOf(req), req.params.ns, req.params.name, p.name, p.definition);
  });
  app.delete<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/properties/:name', on, async (req, reply) => {
    c().deleteProperty(authOf(req), req.params.ns, req.params.name);
    return noContent(reply);
  });

  // Tags
  app.get<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/tags', on, async (req) => ({ tags: c().listTags(authOf(req), req.params.ns, parseTagQuery(queryOf(req))) }));
  app.post<{ Params: Ns }>('/v2/metadefs/namespaces/:ns/tags', on, async (req, reply) => {
    const append = String(req.headers['x-openstack-append'] ?? '').toLowerCase() === 'true';
    return created(reply, { tags: c().createTags(authOf(req), req.params.ns, parseTags(req.body), append) });
  });
  app.post<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/tags/:name', on, async (req, reply) => created(reply, c().createTag(authOf(req), req.params.ns, req.params.name)));
  app.get<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/tags/:name', on, async (req) => c().getTag(authOf(req), req.params.ns, req.params.name));
  app.put<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/tags/:name', on, async (req) => c().renameTag(authOf(req), req.params.ns, req.params.name, parseTagName(req.body)));
  app.delete<{ Params: NsItem }>('/v2/metadefs/namespaces/:ns/tags/:name', on, async (req, reply) => {
    c().deleteTag(authOf(req), req.params.ns, req.params.name);
    return noContent(reply);
  });
}
