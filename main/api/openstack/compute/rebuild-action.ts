// The rebuild server action: Nova's request schema by microversion, and its 202 response, which is the
// server as PUT shows it (before 2.75) or as GET shows it (from 2.75), with the admin password,
// key_name from 2.54 and user_data from 2.57.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RebuildServerInput } from '../../../compute/server-rebuild';
import type { ControlPlane } from '../../../control-plane';
import { authOf } from '../auth';
import { links } from './links';
import { atLeast } from './microversion';
import { descriptionSchema, hostnameSchema, ipv4Schema, ipv6Schema, metadataSchema, nameSchema, novaBoolean, uuidFormat } from './schemas';
import { renderServer } from './server-view';
import { novaParse } from './validate';

function rebuildSchema(req: FastifyRequest) {
  const userDataInBody = atLeast(req, '2.57');
  const rebuild = z.strictObject({
    imageRef: uuidFormat,
    name: nameSchema.optional(),
    adminPass: z.string().optional(),
    metadata: metadataSchema.optional(),
    preserve_ephemeral: novaBoolean.optional(),
    'OS-DCF:diskConfig': z.enum(['AUTO', 'MANUAL']).optional(),
    accessIPv4: ipv4Schema.optional(),
    accessIPv6: ipv6Schema.optional(),
    // File injection is not supported: an empty list is all DeskStack can honour (as at create).
    ...(userDataInBody ? {} : { personality: z.array(z.unknown()).max(0).optional() }),
    ...(atLeast(req, '2.19') ? { description: descriptionSchema.optional() } : {}),
    ...(atLeast(req, '2.54') ? { key_name: z.union([z.string().min(1).max(255), z.null()]).optional() } : {}),
    ...(userDataInBody ? { user_data: z.union([z.string().max(65535), z.null()]).optional() } : {}),
    ...(atLeast(req, '2.63') ? { trusted_image_certificates: z.union([z.array(z.string().min(1)).min(1).max(50), z.null()]).optional() } : {}),
    ...(atLeast(req, '2.90') ? { hostname: hostnameSchema.optional() } : {}),
  });
  return z.strictObject({ rebuild });
}

type RebuildBody = z.infer<ReturnType<typeof rebuildSchema>>['rebuild'] & {
  description?: string | null;
  key_name?: string | null;
  user_data?: string | null;
  trusted_image_certificates?: string[] | null;
  hostname?: string;
};

function inputOf(b: RebuildBody): RebuildServerInput {
  return {
    imageRef: b.imageRef,
    name: b.name,
    adminPass: b.adminPass,
    metadata: b.metadata,
    accessIPv4: b.accessIPv4,
    accessIPv6: b.accessIPv6,
    diskConfig: b['OS-DCF:diskConfig'],
    preserveEphemeral: b.preserve_ephemeral,
    keyName: b.key_name,
    userData: b.user_data,
    trustedImageCertificates: b.trusted_image_certificates,
    hostname: b.hostname,
    description: b.description,
  };
}

export function rebuildAction(req: FastifyRequest, reply: FastifyReply, cp: ControlPlane, id: string, body: unknown): FastifyReply {
  const b = novaParse(rebuildSchema(req), body).rebuild as RebuildBody;
  const res = cp.compute.rebuildServer(authOf(req), id, inputOf(b));
  const server = renderServer(req, cp, res.server, { show: true, update: true });
  // Nova's rebuild view leaves the extended user_data attribute out; from 2.57 user_data is its own field.
  delete server['OS-EXT-SRV-ATTR:user_data'];
  if (atLeast(req, '2.54')) server.key_name = res.server.keyName;
  if (atLeast(req, '2.57')) server.user_data = res.server.userData;
  server.adminPass = res.adminPass;
  reply.header('location', links(req, cp, `servers/${id}`)[0].href);
  return reply.code(202).send({ server });
}
