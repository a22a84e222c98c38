import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from './api/http/server';
import { createControlPlane, type ControlPlane } from './control-plane';
import type { Logger } from './core/log';

export interface ServeOptions {
  demo: boolean;
  port: number;
  host: string;
  dataDir?: string;
  /** URL clients use to reach this server (service catalog); derived from host and port when absent. */
  publicUrl?: string;
  uiDir?: string;
  logger?: Logger;
}

export interface RunningServer {
  cp: ControlPlane;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The built renderer shipped beside the sources (renderer/dist), if it has been built. */
export function defaultUiDir(): string | undefined {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer', 'dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** A reachable address for the catalog when bound to every interface. */
function firstLanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Runs the control plane headless: REST APIs, the UI contract and the UI on one port. */
export async function serve(opts: ServeOptions): Promise<RunningServer> {
  const cp = await createControlPlane({ dataDir: opts.dataDir, demo: opts.demo, logger: opts.logger });
  let app: FastifyInstance;
  try {
    app = await buildHttpServer(cp, { uiDir: opts.uiDir ?? defaultUiDir(), bindHost: opts.host });
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await cp.close();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? firstLanAddress() : opts.host;
  const url = opts.publicUrl?.replace(/\/+$/, '') ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  cp.publicUrl = url;
  return {
    cp,
    app,
    url,
    async close() {
      await app.close();
      await cp.close();
    },
  };
}
