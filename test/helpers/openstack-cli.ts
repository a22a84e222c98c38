// Runs Debian's python-openstackclient (argv, never a shell) against a DeskStack test server.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const OPENSTACK_CLI = '/usr/bin/openstack';

/** A skip reason when Debian's client is missing, else false. Debian's clients run on /usr/bin/python3. */
export const openstackCliSkip: string | false =
  existsSync(OPENSTACK_CLI) && existsSync('/usr/bin/python3') ? false : `${OPENSTACK_CLI} is not installed (apt install python3-openstackclient to run this test)`;

export interface CliTarget {
  /** http://127.0.0.1:PORT of the test server. */
  url: string;
  /** A scratch HOME so the client's caches stay out of the real one. */
  home: string;
  user?: string;
  password: string;
  project?: string;
  /** Authenticate with an application credential instead of user, password and project. */
  appCredential?: { id: string; secret: string };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runOpenstack(target: CliTarget, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', [OPENSTACK_CLI, ...args], {
      timeout: timeoutMs,
      env: {
        PATH: '/usr/bin:/bin',
        HOME: target.home,
        OS_AUTH_URL: `${target.url}/identity/v3`,
        ...(target.appCredential
          ? { OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: target.appCredential.id, OS_APPLICATION_CREDENTIAL_SECRET: target.appCredential.secret }
          : {
              OS_USERNAME: target.user ?? 'admin',
              OS_PASSWORD: target.password,
              OS_PROJECT_NAME: target.project ?? 'admin',
              OS_USER_DOMAIN_NAME: 'Default',
              OS_PROJECT_DOMAIN_NAME: 'Default',
            }),
        OS_IDENTITY_API_VERSION: '3',
        OS_INTERFACE: 'public',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the client with `-f json` already in args; rejects with its stderr when it fails. */
export async function openstackJson(target: CliTarget, args: string[]): Promise<unknown> {
  const r = await runOpenstack(target, args);
  if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : null;
}
