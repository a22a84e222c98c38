import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ControlPlane } from '../../../control-plane';
import { baseUrl, selfUrl } from '../base-url';
import { consumerView, credentialView, ec2View, policyView } from './delegation-views';
import { keystoneAuth } from './keystone-auth';
import { extraOf, parseInput } from './parse-body';
import { queryStrings } from './query';
import { collection } from './views';

const CRED_KNOWN = ['user_id', 'project_id', 'type', 'blob', 'id', 'links'];
const credFields = { user_id: z.string().min(1).max(64), project_id: z.string().max(64).nullable().optional(), type: z.string().min(1).max(255), blob: z.string() };
const credCreate = z.object({ credential: z.looseObject(credFields) });
const credUpdate = z.object({ credential: z.looseObject(z.object(credFields).partial().shape) });
const ec2Create = z.object({ tenant_id: z.string().min(1).max(64) });

const POLICY_KNOWN = ['type', 'blob', 'id', 'links'];
const policyFields = { type: z.string(), blob: z.string() };
const policyCreate = z.object({ policy: z.looseObject(policyFields) });
const policyUpdate = z.object({ policy: z.looseObject(z.object(policyFields).partial().shape) });

const CONSUMER_KNOWN = ['description', 'id', 'links', 'secret'];
const consumerBody = z.object({ consumer: z.looseObject({ description: z.string().nullable().optional() }) });

type Id = { Params: { id: string } };
type Ec2 = { Params: { user: string; access: string } };

/** Credentials (with OS-EC2), policies and OAuth1 consumers: stored documents and secrets owned by users or the cloud. */
export function registerCredentialRoutes(app: FastifyInstance, cp: ControlPlane): void {
  const creds = cp.identity.credentials;
  const ctxOf = (req: FastifyRequest) => keystoneAuth(cp, req, { allowUnscoped: true }).ctx;

  app.get('/v3/credentials', async (req) => {
    const q = queryStrings(req.query, ['user_id', 'type'] as const);
    const base = baseUrl(req, cp);
    return collection('credentials', creds.list(ctxOf(req), { userId: q.user_id, type: q.type }).map((c) => credentialView(c, base)), selfUrl(req, cp));
  });
  app.post('/v3/credentials', async (req, reply) => {
    const ctx = ctxOf(req);
    const { credential: b } = parseInput(credCreate, req.body);
    const c = creds.create(ctx, { userId: b.user_id, projectId: b.project_id, type: b.type, blob: b.blob, extra: extraOf(b, CRED_KNOWN) });
    return reply.code(201).send({ credential: credentialView(c, baseUrl(req, cp)) });
  });
  app.get<Id>('/v3/credentials/:id', async (req) => ({ credential: credentialView(creds.get(ctxOf(req), req.params.id), baseUrl(req, cp)) }));
  app.patch<Id>('/v3/credentials/:id', async (req) => {
    const ctx = ctxOf(req);
    const { credential: b } = parseInput(credUpdate, req.body);
    const c = creds.update(ctx, req.params.id, { userId: b.user_id, projectId: b.project_id, type: b.type, blob: b.blob, extra: extraOf(b, CRED_KNOWN) });
    return { credential: credentialView(c, baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/credentials/:id', async (req, reply) => {
    creds.delete(ctxOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.post<{ Params: { user: string } }>('/v3/users/:user/credentials/OS-EC2', async (req, reply) => {
    const ctx = ctxOf(req);
    const { tenant_id } = parseInput(ec2Create, req.body);
    return reply.code(201).send({ credential: ec2View(creds.createEc2(ctx, req.params.user, tenant_id), baseUrl(req, cp)) });
  });
  app.get<{ Params: { user: string } }>('/v3/users/:user/credentials/OS-EC2', async (req) => {
    const base = baseUrl(req, cp);
    return collection('credentials', creds.listEc2(ctxOf(req), req.params.user).map((c) => ec2View(c, base)), selfUrl(req, cp));
  });
  app.get<Ec2>('/v3/users/:user/credentials/OS-EC2/:access', async (req) => ({ credential: ec2View(creds.getEc2(ctxOf(req), req.params.user, req.params.access), baseUrl(req, cp)) }));
  app.delete<Ec2>('/v3/users/:user/credentials/OS-EC2/:access', async (req, reply) => {
    creds.deleteEc2(ctxOf(req), req.params.user, req.params.access);
    return reply.code(204).send();
  });

  const policies = cp.identity.policies;
  app.get('/v3/policies', async (req) => {
    const q = queryStrings(req.query, ['type'] as const);
    const base = baseUrl(req, cp);
    return collection('policies', policies.list(ctxOf(req), q).map((p) => policyView(p, base)), selfUrl(req, cp));
  });
  app.post('/v3/policies', async (req, reply) => {
    const ctx = ctxOf(req);
    const { policy: b } = parseInput(policyCreate, req.body);
    return reply.code(201).send({ policy: policyView(policies.create(ctx, { type: b.type, blob: b.blob, extra: extraOf(b, POLICY_KNOWN) }), baseUrl(req, cp)) });
  });
  app.get<Id>('/v3/policies/:id', async (req) => ({ policy: policyView(policies.get(ctxOf(req), req.params.id), baseUrl(req, cp)) }));
  app.patch<Id>('/v3/policies/:id', async (req) => {
    const ctx = ctxOf(req);
    const { policy: b } = parseInput(policyUpdate, req.body);
    return { policy: policyView(policies.update(ctx, req.params.id, { type: b.type, blob: b.blob, extra: extraOf(b, POLICY_KNOWN) }), baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/policies/:id', async (req, reply) => {
    policies.delete(ctxOf(req), req.params.id);
    return reply.code(204).send();
  });

  const consumers = cp.identity.oauthConsumers;
  app.get('/v3/OS-OAUTH1/consumers', async (req) => {
    const base = baseUrl(req, cp);
    return collection('consumers', consumers.list(ctxOf(req)).map((c) => consumerView(c, base)), selfUrl(req, cp));
  });
  app.post('/v3/OS-OAUTH1/consumers', async (req, reply) => {
    const ctx = ctxOf(req);
    const { consumer: b } = parseInput(consumerBody, req.body);
    const { consumer, secret } = await consumers.create(ctx, b.description ?? null, extraOf(b, CONSUMER_KNOWN));
    return reply.code(201).send({ consumer: consumerView(consumer, baseUrl(req, cp), secret) });
  });
  app.get<Id>('/v3/OS-OAUTH1/consumers/:id', async (req) => ({ consumer: consumerView(consumers.get(ctxOf(req), req.params.id), baseUrl(req, cp)) }));
  app.patch<Id>('/v3/OS-OAUTH1/consumers/:id', async (req) => {
    const ctx = ctxOf(req);
    const { consumer: b } = parseInput(consumerBody, req.body);
    return { consumer: consumerView(consumers.update(ctx, req.params.id, { description: b.description, extra: extraOf(b, CONSUMER_KNOWN) }), baseUrl(req, cp)) };
  });
  app.delete<Id>('/v3/OS-OAUTH1/consumers/:id', async (req, reply) => {
    consumers.delete(ctxOf(req), req.params.id);
    return reply.code(204).send();
  });
}
