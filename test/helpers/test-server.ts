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
