import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { DeskError } from '../../../core/errors';
import type { Project } from '../../../identity/types';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { csv, isTrue, listFilters, queryStrings } from './query';
import { collection, projectView } from './views';

const KNOWN = ['name', 'domain_id', 'description', 'enabled', 'is_domain', 'parent_id', 'tags', 'options', 'id', 'links'];

const projectFields = {
  name: z.string(),
  domain_id: z.string().max(64).nullable().optional(),
  description: z.string().max(65535).nullable().optional(),
  enabled: z.boolean().optional(),
  is_domain: z.boolean().optional(),
  parent_id: z.string().max(64).nullable().optional(),
  tags: z.array(z.string()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
};
const createBody = z.object({ project: z.looseObject(projectFields) });
const updateBody = z.object({ project: z.looseObject({ ...projectFields, name: z.string().optional() }).omit({ domain_id: true, is_domain: true, parent_id: true }) });
const tagsBody = z.object({ tags: z.array(z.string()) });

type Id = { Params: { id: string } };

/** Keystone's parents_as_ids / subtree_as_ids: nested objects of ids, null at the leaves. */
function idTree(ids: Project[], parentOf: (p: Project) => string | null, rootId: string): Record<string, unknown> | null {
  const build = (id: string): Record<string, unknown> | null => {
    const kids = ids.filter((p) => parentOf(p) === id);
    return kids.length ? Object.fromEntries(kids.map((k) => [k.id, build(k.id)])) : null;
  };
  return build(rootId);
}

function expanded(cp: ControlPlane, req: FastifyRequest<Id>, p: Project, base: string) {
  const q = queryStrings(req.query, ['parents_as_list', 'parents_as_ids', 'subtree_as_list', 'subtree_as_ids'] as const);
  const [pl, pi, sl, si] = [isTrue(q.parents_as_list), isTrue(q.parents_as_ids), isTrue(q.subtree_as_list), isTrue(q.subtree_as_ids)];
  if (pl && pi) throw new DeskError('BadRequest', 'Cannot use parents_as_list and parents_as_ids query params at the same time.');
  if (sl && si) throw new DeskError('BadRequest', 'Cannot use subtree_as_list and subtree_as_ids query params at the same time.');
  const { ctx } = keystoneAuth(cp, req);
  const view: Record<string, unknown> = projectView(p, base);
  if (pl || pi) {
    const parents = cp.identity.projects.parents(ctx, p.id);
    // Each parent points up to the next one; the nesting runs from the nearest parent to the root.
    view.parents = pl ? parents.map((x) => ({ project: projectView(x, base) })) : idTree(parents, (x) => parents[parents.indexOf(x) - 1]?.id ?? p.id, p.id);
  }
  if (sl || si) {
    const subtree = cp.identity.projects.subtree(ctx, p.id);
    view.subtree = sl ? subtree.map((x) => ({ project: projectView(x, base) })) : idTree(subtree, (x) => x.parentId, p.id);
  }
  return view;
}

export function registerProjectRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/projects', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const q = queryStrings(req.query, ['parent_id', 'is_domain', 'tags', 'tags-any', 'not-tags', 'not-tags-any'] as const);
    const f = {
      ...listFilters(req.query),
      parentId: q.parent_id,
      isDomain: isTrue(q.is_domain),
      tags: csv(q.tags),
      tagsAny: csv(q['tags-any']),
      notTags: csv(q['not-tags']),
      notTagsAny: csv(q['not-tags-any']),
    };
    const base = baseUrl(req, cp);
    return collection('projects', cp.identity.listProjects(ctx, f).map((p) => projectView(p, base)), selfUrl(req, cp));
  });

  app.post('/v3/projects', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    const { project: b } = parseInput(createBody, req.body);
    const p = cp.identity.projects.create(ctx, {
      name: b.name,
      domainId: b.domain_id ?? undefined,
      parentId: b.parent_id,
      isDomain: b.is_domain,
      description: b.description ?? '',
      enabled: b.enabled,
      tags: b.tags,
      extra: extraOf(b, KNOWN),
    });
    return reply.code(201).send({ project: projectView(p, baseUrl(req, cp)) });
  });

  app.get<Id>('/v3/projects/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const base = baseUrl(req, cp);
    return { project: expanded(cp, req, cp.identity.getProject(ctx, req.params.id), base) };
  });

  app.patch<Id>('/v3/projects/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const { project: b } = parseInput(updateBody, req.body);
    const p = cp.identity.updateProject(ctx, req.params.id, {
      name: b.name,
      description: b.description === null ? '' : b.description,
      enabled: b.enabled,
      tags: b.tags,
      extra: extraOf(b, KNOWN),
    });
    return { project: projectView(p, baseUrl(req, cp)) };
  });

  app.delete<Id>('/v3/projects/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.deleteProject(ctx, req.params.id);
    return reply.code(204).send();
  });

  // ---- tags ----
  type Tag = { Params: { id: string; tag: string } };
  app.get<Id>('/v3/projects/:id/tags', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    return { tags: cp.identity.projects.tags(ctx, req.params.id) };
  });
  app.put<Id>('/v3/projects/:id/tags', async (req) => {
    const { ctx } = keystoneAuth(cp, req);
    const { tags } = parseInput(tagsBody, req.body);
    return { tags: cp.identity.projects.setTags(ctx, req.params.id, tags) };
  });
  app.delete<Id>('/v3/projects/:id/tags', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.projects.setTags(ctx, req.params.id, []);
    return reply.code(204).send();
  });
  const checkTag = async (req: FastifyRequest<Tag>, reply: FastifyReply) => {
    const { ctx } = keystoneAuth(cp, req);
    if (!cp.identity.projects.tags(ctx, req.params.id).includes(req.params.tag)) throw new DeskError('NotFound', `Could not find tag: ${req.params.tag}.`);
    return reply.code(204).send();
  };
  app.get<Tag>('/v3/projects/:id/tags/:tag', { exposeHeadRoute: false }, checkTag);
  app.head<Tag>('/v3/projects/:id/tags/:tag', checkTag);
  app.put<Tag>('/v3/projects/:id/tags/:tag', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.projects.addTag(ctx, req.params.id, req.params.tag);
    return reply.code(201).header('Location', `${baseUrl(req, cp)}/identity/v3/projects/${req.params.id}/tags/${encodeURIComponent(req.params.tag)}`).send();
  });
  app.delete<Tag>('/v3/projects/:id/tags/:tag', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req);
    cp.identity.projects.removeTag(ctx, req.params.id, req.params.tag);
    return reply.code(204).send();
  });
}
