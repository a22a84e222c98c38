import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createControlPlane, type ControlPlane } from '../../main/control-plane';
import { buildHttpServer } from '../../main/api/http/server';
import { createLogger, type Logger } from '../../main/core/log';
import { ApiClient } from './api-client';

export const ADMIN_PASSWORD = 'test-admin-secret';

export interface TestServer {
  cp: ControlPlane;
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  url: string;
  dataDir: string;
  /** Issues a project-scoped token through the real Keystone API. */
  token(user?: string, password?: string, project?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real control plane (demo rack, zero fake delays by default) serving HTTP on a free loopback port,
 * in its own temporary data folder.
 */
export async function startTestServer(opts: { demo?: boolean; delayScale?: number; uiDir?: string; logger?: Logger } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-test-'));
  const cp = await createControlPlane({
    dataDir,
    demo: opts.demo ?? true,
    adminPassword: ADMIN_PASSWORD,
    config: { fakeDelayScale: opts.delayScale ?? 0 },
    logger: opts.logger ?? createLogger('silent'),
  });
  const app = await buildHttpServer(cp, { uiDir: opts.uiDir, bindHost: '127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;
  cp.publicUrl = url;
  return {
    cp,
    app,
    url,
    dataDir,
    async token(user = 'admin', password = ADMIN_PASSWORD, project = 'admin') {
      return (await ApiClient.login(url, password, user, project)).token;
    },
    async close() {
      await app.close();
      await cp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A project with one member user, made through the identity service; its token through real Keystone. */
export async function memberOf(s: TestServer, name: string): Promise<{ token: string; projectId: string }> {
  const ctx = s.cp.identity.loginLocalAdmin();
  const project = s.cp.identity.createProject(ctx, { name });
  const user = await s.cp.identity.createUser(ctx, { name: `${name}-user`, password: `${name}-pw`, defaultProjectId: project.id });
  const role = s.cp.identity.listRoles(ctx, { name: 'member' })[0];
  s.cp.identity.assignRole(ctx, { userId: user.id, projectId: project.id, roleId: role.id });
  return { token: await s.token(`${name}-user`, `${name}-pw`, name), projectId: project.id };
}
