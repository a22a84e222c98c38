// `deskstack host …`: add, list, show, provision, maintenance and remove real hosts on a running
// DeskStack, through the same contract methods the add-host wizard uses.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { HostDetailView, HostView } from '../api/contract/index';
import { normalizeFingerprint } from '../drivers/executor/host-key';
import { CliError, connect, type RpcClient } from './rpc-client';
import { followTask } from './task-follow';

export const HOST_USAGE = `Usage: deskstack host <command> [options]      (against a running DeskStack)

Commands:
  add ADDRESS     add a real host (or "local" for this computer), then run its preflight
                  [--port 22] [--user root] [--key FILE | --password-stdin] [--name NAME]
                  [--trust-on-first-use | --host-key SHA256:...] [--wait]
  probe ADDRESS   show a host's SSH key fingerprint [--port 22]
  list            every host with its state [--json]
  show HOST       one host with its preflight report and provisioning steps [--json]
  provision HOST  install and configure what the host needs (re-run to resume) [--wait]
  preflight HOST  re-run the read-only checks [--wait]
  maintenance HOST on|off [--reason TEXT]
  remove HOST     [--force: also when servers run there; they go to ERROR]

Options for every command: --url URL (or $DESKSTACK_URL; default http://127.0.0.1:7480).
Sign-in: OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME (default admin), OS_USER_DOMAIN_NAME, or OS_TOKEN.
Exit codes: 0 done, 1 failed, 2 usage or host key not confirmed, 3 cannot reach or sign in.
`;

const OPTIONS = {
  url: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  key: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  name: { type: 'string' },
  'trust-on-first-use': { type: 'boolean' },
  'host-key': { type: 'string' },
  wait: { type: 'boolean' },
  force: { type: 'boolean' },
  reason: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CliIo {
  out(line: string): void;
  readStdin(): Promise<string>;
  env: NodeJS.ProcessEnv;
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function need(positionals: string[], index: number, what: string): string {
  const v = positionals[index];
  if (!v) throw new CliError(`missing ${what}\n${HOST_USAGE}`, 2);
  return v;
}

function portOf(values: Values): number {
  const port = Number(values.port ?? '22');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError(`--port must be a number from 1 to 65535, not '${values.port}'`, 2);
  return port;
}

/** A host by id or name. */
async function resolveHost(client: RpcClient, ref: string): Promise<HostView> {
  const hosts = await client.call('hostList', {});
  const host = hosts.find((h) => h.id === ref) ?? hosts.find((h) => h.name === ref);
  if (!host) throw new CliError(`no host named or with id '${ref}'; see \`deskstack host list\``, 1);
  return host;
}

async function add(client: RpcClient, positionals: string[], values: Values, io: CliIo): Promise<void> {
  const address = need(positionals, 1, 'ADDRESS');
  const port = portOf(values);
  const local = address === 'local';
  if (values.key && values['password-stdin']) throw new CliError('give either --key FILE or --password-stdin, not both', 2);
  if (values['host-key'] && values['trust-on-first-use']) throw new CliError('give either --host-key or --trust-on-first-use, not both', 2);
  let auth: { password: string } | { privateKey: string } | undefined;
  let fingerprint: string | undefined;
  if (!local) {
    if (values.key) {
      try {
        auth = { privateKey: readFileSync(values.key, 'utf8') };
      } catch (err) {
        throw new CliError(`cannot read --key ${values.key}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
      }
    } else if (values['password-stdin']) {
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      if (!password) throw new CliError('--password-stdin read an empty password', 2);
      auth = { password };
    } else throw new CliError(`give --key FILE or --password-stdin: DeskStack uses it once to install its own key on ${address}`, 2);

    const probe = await client.call('hostProbe', { address, port });
    if (values['host-key']) {
      const want = normalizeFingerprint(values['host-key']);
      if (!want) throw new CliError(`--host-key ${values['host-key']} is not a SHA256:… fingerprint`, 2);
      if (want !== probe.fingerprint) {
        throw new CliError(`host key of ${address} is ${probe.fingerprint}, not the ${want} you gave — check you reached the right machine`, 1);
      }
    } else if (values['trust-on-first-use']) {
      io.out(`Trusting host key of ${address}:${port} on first use: ${probe.fingerprint} (${probe.keyType})`);
    } else {
      throw new CliError(
        `host key of ${address}:${port} is ${probe.fingerprint} (${probe.keyType}); check it on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then re-run with --host-key ${probe.fingerprint} (or --trust-on-first-use)`,
        2,
      );
    }
    fingerprint = probe.fingerprint;
  }
  const result = await client.call('hostAdd', { address, port, user: values.user ?? 'root', auth, name: values.name, hostKeyFingerprint: fingerprint });
  io.out(`Added host ${result.host.name} (${result.host.id}); preflight task ${result.preflightTaskId}`);
  if (values.wait) {
    await followTask(client, result.preflightTaskId, io.out).catch((err: unknown) => {
      throw new CliError(`${(err as Error).message}\nSee \`deskstack host show ${result.host.name}\` for every check and its fix.`, 1);
    });
    io.out(`Next: deskstack host provision ${result.host.name} --wait`);
  }
}

function printList(hosts: HostView[], io: CliIo): void {
  const rows = [['NAME', 'STATE', 'ENABLED', 'PROVISION', 'DRIVER', 'ADDRESS', 'VCPUS', 'RAM_MB', 'DISK_GB', 'INSTANCES']];
  for (const h of hosts) {
    rows.push([h.name, h.state, h.enabled ? 'yes' : 'no', h.provisionState, h.driver, h.address, String(h.vcpus), String(h.ramMb), String(h.diskGb), String(h.usage.instances)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) io.out(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

function printDetail(h: HostDetailView, io: CliIo): void {
  io.out(`${h.name} (${h.id})`);
  io.out(`  address      ${h.username}@${h.address}:${h.port}`);
  io.out(`  host key     ${h.hostKeyFingerprint ?? '-'}`);
  io.out(`  state        ${h.state}${h.enabled ? '' : ` (maintenance${h.disabledReason ? `: ${h.disabledReason}` : ''})`}`);
  io.out(`  provision    ${h.provisionState}`);
  io.out(`  capacity     ${h.vcpus} vCPU, ${h.ramMb} MiB RAM, ${h.diskGb} GB disk, ${h.cpuModel || 'unknown CPU'}, virt type ${h.virtType}`);
  if (h.preflight) {
    io.out(`  preflight    ${h.preflight.ok ? 'passed' : 'FAILED'} at ${h.preflight.at} (${h.preflight.os.prettyName || h.preflight.os.id})`);
    for (const c of h.preflight.checks) {
      io.out(`    ${c.status.toUpperCase().padEnd(4)} ${c.title}: ${c.detail}`);
      if (c.fix) io.out(`         fix: ${c.fix}`);
    }
  }
  if (h.provisionSteps.length) {
    io.out('  provisioning steps');
    for (const s of h.provisionSteps) {
      const how = s.status === 'done' ? (s.changed ? 'changed' : 'unchanged') : s.status;
      io.out(`    ${how.padEnd(9)} ${s.title}${s.summary ? `: ${s.summary}` : ''}${s.error ? `: ${s.error}` : ''}`);
    }
  }
}

/** Runs `deskstack host …`; throws CliError with the exit code on failure. */
export async function hostCommand(args: string[], io: CliIo): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n${HOST_USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const sub = positionals[0];
  if (values.help || !sub || sub === 'help') {
    io.out(HOST_USAGE);
    return;
  }
  if (!['add', 'probe', 'list', 'show', 'provision', 'preflight', 'maintenance', 'remove'].includes(sub)) throw new CliError(`unknown host command '${sub}'\n${HOST_USAGE}`, 2);
  const client = await connect(values.url, io.env);
  switch (sub) {
    case 'add':
      return add(client, positionals, values, io);
    case 'probe': {
      const p = await client.call('hostProbe', { address: need(positionals, 1, 'ADDRESS'), port: portOf(values) });
      io.out(`${p.address}:${p.port} ${p.keyType} ${p.fingerprint}`);
      return;
    }
    case 'list': {
      const hosts = await client.call('hostList', {});
      if (values.json) io.out(JSON.stringify(hosts, null, 2));
      else printList(hosts, io);
      return;
    }
    case 'show': {
      const host = await resolveHost(client, need(positionals, 1, 'HOST'));
      const detail = await client.call('hostGet', { id: host.id });
      if (values.json) io.out(JSON.stringify(detail, null, 2));
      else printDetail(detail, io);
      return;
    }
    case 'provision':
    case 'preflight': {
      const host = await resolveHost(client, need(positionals, 1, 'HOST'));
      const task = await client.call(sub === 'provision' ? 'hostProvision' : 'hostPreflight', { id: host.id });
      io.out(`${task.title}: task ${task.id}`);
      if (values.wait) await followTask(client, task.id, io.out);
      return;
    }
    case 'maintenance': {
      const host = await resolveHost(client, need(positionals, 1, 'HOST'));
      const mode = need(positionals, 2, 'on|off');
      if (mode !== 'on' && mode !== 'off') throw new CliError(`maintenance takes on or off, not '${mode}'`, 2);
      const h = await client.call('hostMaintenance', { id: host.id, enabled: mode === 'off', reason: values.reason });
      io.out(`Host ${h.name}: ${h.enabled ? 'takes new servers again' : 'in maintenance, no new servers'}`);
      return;
    }
    case 'remove': {
      const host = await resolveHost(client, need(positionals, 1, 'HOST'));
      await client.call('hostRemove', { id: host.id, force: values.force ?? false });
      io.out(`Removed host ${host.name}`);
      return;
    }
  }
}
