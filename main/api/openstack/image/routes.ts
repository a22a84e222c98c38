import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import type { ControlPlane } from '../../../control-plane';
import { DeskError, badRequest } from '../../../core/errors';
import { authOf, requireAuth } from '../auth';
import { baseUrl } from '../base-url';
import { parseBoundedJson } from '../../http/json-body';
import { parseCreate, parseListQuery, parsePatch } from './input';
import { glanceImage } from './render';
import { registerImageMemberRoutes } from './member-routes';
import { registerMetadefRoutes } from './metadef-routes';
import { IMAGE_SCHEMA, IMAGES_SCHEMA, MEMBER_SCHEMA, MEMBERS_SCHEMA } from './schemas';
import { glanceVersions } from './versions';

const PATCH_TYPES = ['application/openstack-images-v2.1-json-patch', 'application/openstack-images-v2.0-json-patch'];

interface IdParams {
  id: string;
}
interface TagParams extends IdParams {
  tag: string;
}

const mediaType = (req: FastifyRequest): string => String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** Glance v2 under /image: versions, images CRUD, json-patch updates, tags, streamed data, schemas. */
export async function registerImageApi(app: FastifyInstance, cp: ControlPlane): Promise<void> {
  const auth = requireAuth(cp);

  // Image data is streamed straight to disk: the handler receives the raw request stream.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.addContentTypeParser(PATCH_TYPES, { parseAs: 'string', bodyLimit: cp.config.maxJsonBody }, (_req, body, done) => {
    try {
      done(null, parseBoundedJson(body as string, 'the json-patch document'));
    } catch (err) {
      done(err as Error);
    }
  });

  const versions = (status: number) => async (req: FastifyRequest, reply: FastifyReply) => reply.code(status).send(glanceVersions(baseUrl(req, cp)));
  app.get('/', versions(300));
  app.get('/versions', versions(200));
  app.get('/v2', versions(300));
  app.get('/v2/', versions(300));

  app.get('/v2/schemas/image', { onRequest: auth }, async () => IMAGE_SCHEMA);
  app.get('/v2/schemas/images', { onRequest: auth }, async () => IMAGES_SCHEMA);
  app.get('/v2/schemas/member', { onRequest: auth }, async () => MEMBER_SCHEMA);
  app.get('/v2/schemas/members', { onRequest: auth }, async () => MEMBERS_SCHEMA);

  app.get('/v2/images', { onRequest: auth }, async (req) => {
    const query = (req.query ?? {}) as Record<string, string | string[]>;
    const page = cp.images.list(authOf(req), parseListQuery(query));
    const params = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
    params.delete('marker');
    const rest = params.toString();
    const body: Record<string, unknown> = { images: page.images.map(glanceImage), first: `/v2/images${rest ? `?${rest}` : ''}`, schema: '/v2/schemas/images' };
    if (page.nextMarker) {
      params.set('marker', page.nextMarker);
      body.next = `/v2/images?${params.toString()}`;
    }
    return body;
  });

  app.post('/v2/images', { onRequest: auth }, async (req, reply) => {
    const image = cp.images.create(authOf(req), parseCreate(req.body));
    return reply.code(201).header('location', `${baseUrl(req, cp)}/image/v2/images/${image.id}`).send(glanceImage(image));
  });

  app.get<{ Params: IdParams }>('/v2/images/:id', { onRequest: auth }, async (req) => glanceImage(cp.images.get(authOf(req), req.params.id)));

  app.patch<{ Params: IdParams }>('/v2/images/:id', { onRequest: auth }, async (req) => {
    if (!PATCH_TYPES.includes(mediaType(req)))
      throw new DeskError('UnsupportedMediaType', `Unsupported Content-Type: send the patch as ${PATCH_TYPES[0]}.`);
    return glanceImage(cp.images.update(authOf(req), req.params.id, parsePatch(req.body, mediaType(req) === PATCH_TYPES[1])));
  });

  app.delete<{ Params: IdParams }>('/v2/images/:id', { onRequest: auth }, async (req, reply) => {
    cp.images.delete(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/v2/images/:id/actions/deactivate', { onRequest: auth }, async (req, reply) => {
    cp.images.deactivate(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/v2/images/:id/actions/reactivate', { onRequest: auth }, async (req, reply) => {
    cp.images.reactivate(authOf(req), req.params.id);
    return reply.code(204).send();
  });

  registerImageMemberRoutes(app, cp, auth);
  registerMetadefRoutes(app, cp, auth);

  const octetOnly = async (req: FastifyRequest) => {
    if (mediaType(req) !== 'application/octet-stream')
      throw new DeskError('UnsupportedMediaType', 'Unsupported Content-Type: upload image data as application/octet-stream.');
  };
  // preParsing: a wrong media type is a 415 before any other parser looks at the bytes.
  app.put<{ Params: IdParams }>('/v2/images/:id/file', { onRequest: auth, preParsing: octetOnly }, async (req, reply) => {
    const declared = req.headers['content-length'];
    const expectedSize = typeof declared === 'string' && /^\d{1,16}$/.test(declared) ? Number(declared) : undefined;
    // A client that hangs up mid-upload cancels it; the service then removes the partial file.
    const ctl = new AbortController();
    const onClose = () => {
      if (!req.raw.complete) ctl.abort();
    };
    req.raw.on('close', onClose);
    try {
      await cp.images.upload(authOf(req), req.params.id, req.body as Readable, { signal: ctl.signal, expectedSize });
    } catch (err) {
      // The rest of a refused body is not worth reading: answer, then close the connection.
      if (!req.raw.complete) reply.header('connection', 'close');
      throw err;
    } finally {
      req.raw.off('close', onClose);
    }
    return reply.code(204).send();
  });

  app.get<{ Params: IdParams }>('/v2/images/:id/file', { onRequest: auth }, async (req, reply) => {
    const data = cp.images.openData(authOf(req), req.params.id);
    if (!data) return reply.code(204).send();
    return reply
      .code(200)
      .header('content-type', 'application/octet-stream')
      .header('content-md5', data.checksum)
      .header('content-length', String(data.size))
      .send(data.stream);
  });

  app.put<{ Params: TagParams }>('/v2/images/:id/tags/:tag', { onRequest: auth }, async (req, reply) => {
    if (req.params.tag.length > 255) throw badRequest('Invalid tag: tags must be 1 to 255 characters long.');
    cp.images.addTag(authOf(req), req.params.id, req.params.tag);
    return reply.code(204).send();
  });

  app.delete<{ Params: TagParams }>('/v2/images/:id/tags/:tag', { onRequest: auth }, async (req, reply) => {
    cp.images.removeTag(authOf(req), req.params.id, req.params.tag);
    return reply.code(204).send();
  });
}
