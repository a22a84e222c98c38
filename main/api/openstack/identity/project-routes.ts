import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { parseInput } from './parse-body';
import { listFilters } from './query';
import { collection, projectView } from './views';

const KNOWN = ['name', 'domain_id', 'description', 'enabled', 'is_domain', 'parent_id', 'tags', 'options', 'id', 'links'];

const projectFields = {
  name: z.string(),
  domain_id: z.string().max(64).optional(),
  description: z.string().max(65535).nullable().optional(),
  enabled: z.boolean().optional(),
  is_domain: z.boolean().optional(),
  parent_id: z.string().max(64).nullable().optional(),
  tags: z.array(z.string()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
};
const createBody = z.object({ project: z.looseObject(projectFields) });
const updateBody = z.object({ project: z.looseObject({ ...projectFields, name: z.string().optional() }).omit({ domain_id: true, is_domain: true }) });

/** Attributes Keystone has no column for are kept as "extra". */
function extraOf(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KNOWN.includes(k)) out[k] = v;
  return out;
}

export function registerProjectRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/projects', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    return collection('projects', cp.identity.listProjects(ctx, listFilters(req.query)).map((p) => projectView(p, base)), selfUrl(req, cp));
  });

  app.post('/v3/projects', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    const { project: b } = parseInput(createBody, req.body);
    if (b.is_domain) throw new DeskError('BadRequest', 'Projects acting as domains are not supported by DeskStack; create a plain project.');
    const domainId = b.domain_id ?? 'default';
    if (b.parent_id && b.parent_id !== domainId) throw new DeskError('BadRequest', 'Project hierarchies are not supported by DeskStack; leave parent_id unset.');
    const p = cp.identity.createProject(ctx, { name: b.name, domainId, description: b.description ?? '', enabled: b.enabled, tags: b.tags, extra: extraOf(b) });
    return reply.code(201).send({ project: projectView(p, baseUrl(req, cp)) });
  });

  app.get<{ Params: { id: string } }>('/v3/projects/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    return { project: projectView(cp.identity.getProject(ctx, req.params.id), baseUrl(req, cp)) };
  });

  app.patch<{ Params: { id: string } }>('/v3/projects/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const { project: b } = parseInput(updateBody, req.body);
    const p = cp.identity.updateProject(ctx, req.params.id, {
      name: b.name,
      description: b.description === null ? '' : b.description,
      enabled: b.enabled,
      tags: b.tags,
      extra: extraOf(b),
    });
    return { project: projectView(p, baseUrl(req, cp)) };
  });

  app.delete<{ Params: { id: string } }>('/v3/projects/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.deleteProject(ctx, req.params.id);
    return reply.code(204).send();
  });
}
