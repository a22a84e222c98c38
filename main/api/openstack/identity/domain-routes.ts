import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import type { DomainConfig } from '../../../identity/domain-config';
import { baseUrl, selfUrl } from '../base-url';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { listFilters } from './query';
import { collection, domainView } from './views';

const KNOWN = ['name', 'description', 'enabled', 'tags', 'options', 'id', 'links', 'explicit_domain_id'];
const fields = {
  name: z.string(),
  description: z.string().max(65535).nullable().optional(),
  enabled: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
};
const createBody = z.object({ domain: z.looseObject(fields) });
const updateBody = z.object({ domain: z.looseObject({ ...fields, name: z.string().optional() }) });
const configBody = z.object({ config: z.record(z.string(), z.unknown()) });

type Id = { Params: { id: string } };
type Group = { Params: { id: string; group: string } };
type Option = { Params: { id: string; group: string; option: string } };

/** Domains and their configuration (/v3/domains/{id}/config). */
export function registerDomainRoutes(app: FastifyInstance, cp: ControlPlane): void {
  app.get('/v3/domains', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const f = listFilters(req.query);
    const base = baseUrl(req, cp);
    return collection('domains', cp.identity.listDomains(ctx, { name: f.name, enabled: f.enabled }).map((d) => domainView(d, base)), selfUrl(req, cp));
  });
  app.post('/v3/domains', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { domain: b } = parseInput(createBody, req.body);
    const d = cp.identity.domains.create(ctx, { name: b.name, description: b.description ?? '', enabled: b.enabled, tags: b.tags, extra: extraOf(b, KNOWN) });
    return reply.code(201).send({ domain: domainView(d, baseUrl(req, cp)) });
  });
  app.get<Id>('/v3/domains/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    return { domain: domainView(cp.identity.getDomain(ctx, req.params.id), baseUrl(req, cp)) };
  });
  app.patch<Id>('/v3/domains/:id', async (req) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { domain: b } = parseInput(updateBody, req.body);
    const d = cp.identity.domains.update(ctx, req.params.id, { name: b.name, description: b.description ?? undefined, enabled: b.enabled, tags: b.tags, extra: extraOf(b, KNOWN) });
    return { domain: domainView(d, baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/domains/:id', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    cp.identity.domains.delete(ctx, req.params.id);
    return reply.code(204).send();
  });

  // ---- configuration ----
  const cfg = cp.identity.domainConfigs;
  app.get('/v3/domains/config/default', async (req) => ({ config: cfg.defaults(keystoneAuth(cp, req, { allowUnscoped: true }).ctx) }));
  app.get<{ Params: { group: string } }>('/v3/domains/config/:group/default', async (req) => ({
    config: cfg.defaults(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.group),
  }));
  app.get<{ Params: { group: string; option: string } }>('/v3/domains/config/:group/:option/default', async (req) => ({
    config: cfg.defaults(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.group, req.params.option),
  }));

  app.put<Id>('/v3/domains/:id/config', async (req, reply) => {
    const { ctx } = keystoneAuth(cp, req, { allowUnscoped: true });
    const { config } = parseInput(configBody, req.body);
    const out = cfg.replace(ctx, req.params.id, config as DomainConfig);
    return reply.code(out.created ? 201 : 200).send({ config: out.config });
  });
  app.get<Id>('/v3/domains/:id/config', async (req) => ({ config: cfg.get(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id) }));
  app.patch<Id>('/v3/domains/:id/config', async (req) => {
    const { config } = parseInput(configBody, req.body);
    return { config: cfg.update(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, config) };
  });
  app.delete<Id>('/v3/domains/:id/config', async (req, reply) => {
    cfg.delete(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id);
    return reply.code(204).send();
  });
  app.get<Group>('/v3/domains/:id/config/:group', async (req) => ({ config: cfg.get(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, req.params.group) }));
  app.patch<Group>('/v3/domains/:id/config/:group', async (req) => {
    const { config } = parseInput(configBody, req.body);
    return { config: cfg.update(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, config, req.params.group) };
  });
  app.delete<Group>('/v3/domains/:id/config/:group', async (req, reply) => {
    cfg.delete(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, req.params.group);
    return reply.code(204).send();
  });
  app.get<Option>('/v3/domains/:id/config/:group/:option', async (req) => ({
    config: cfg.get(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, req.params.group, req.params.option),
  }));
  app.patch<Option>('/v3/domains/:id/config/:group/:option', async (req) => {
    const { config } = parseInput(configBody, req.body);
    return { config: cfg.update(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, config, req.params.group, req.params.option) };
  });
  app.delete<Option>('/v3/domains/:id/config/:group/:option', async (req, reply) => {
    cfg.delete(keystoneAuth(cp, req, { allowUnscoped: true }).ctx, req.params.id, req.params.group, req.params.option);
    return reply.code(204).send();
  });
}
