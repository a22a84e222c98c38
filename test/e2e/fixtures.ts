import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';

export interface ServeHandle {
  url: string;
  dataDir: string;
  adminPassword: string | null;
}

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Starts the real `deskstack serve` on a free loopback port with its own data folder. */
async function startServe(opts: { demo: boolean; adminPassword?: string }): Promise<{ handle: ServeHandle; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskstack-e2e-'));
  const args = ['bin/deskstack.mjs', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...(opts.demo ? ['--demo'] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, DESKSTACK_FAKE_DELAY_SCALE: '0.1', DESKSTACK_LOG_LEVEL: 'warn' };
  if (opts.adminPassword) env.DESKSTACK_ADMIN_PASSWORD = opts.adminPassword;
  else delete env.DESKSTACK_ADMIN_PASSWORD;
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/ready at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}\n${err}`));
    });
  });
  const generated = out.match(/shown once, keep it safe\): (\S+)/)?.[1] ?? null;
  return {
    handle: { url, dataDir, adminPassword: opts.adminPassword ?? generated },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `serve` without --demo: the first-run wizard seeds the rack. */
export const freshTest = base.extend<{ serve: ServeHandle }>({
  serve: async ({}, use) => {
    const s = await startServe({ demo: false });
    await use(s.handle);
    await s.stop();
  },
});

export const DEMO_PASSWORD = 'e2e-admin-secret';

/** `serve --demo` with a known admin password: setup is already done. */
export const demoTest = base.extend<{ serve: ServeHandle }>({
  serve: async ({}, use) => {
    const s = await startServe({ demo: true, adminPassword: DEMO_PASSWORD });
    await use(s.handle);
    await s.stop();
  },
});

/** Signs in through the login page and waits for the Overview; returns the session's token. */
export async function signIn(page: Page, url: string, user = 'admin', password = DEMO_PASSWORD): Promise<string> {
  await page.goto(url);
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  return (await page.evaluate(() => localStorage.getItem('deskstack.token')))!;
}

/** Calls a contract method over HTTP with a token, failing the test on an error reply. */
export async function rpc<T = unknown>(page: Page, url: string, token: string, method: string, input: unknown): Promise<T> {
  const r = await page.request.post(`${url}/api/rpc/${method}`, { headers: { 'x-auth-token': token }, data: input });
  expect(r.ok(), `${method}: ${await r.text()}`).toBeTruthy();
  return (await r.json()) as T;
}
