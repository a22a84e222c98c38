// Prepares one rack host's state dir: per-host copies of the machine's libvirt and ssh config that
// host-init.sh bind-mounts over the real paths, a fresh ed25519 host key, and the rack's client key.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './run';

/** Settings forced into each host's qemu.conf (see issue 3, "Test rack" pitfalls). */
const QEMU_CONF_OVERRIDES: Record<string, string> = {
  // no private /dev per guest: mount namespaces inside our mount namespace buy nothing here
  namespaces: '[ ]',
  // cgroups are not visible inside the host's namespaces
  cgroup_controllers: '[ ]',
  // never load AppArmor/SELinux profiles into the shared kernel from a test host
  security_driver: '"none"',
};

function rewriteConf(path: string, overrides: Record<string, string>): void {
  const keys = Object.keys(overrides);
  const kept = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !keys.some((k) => new RegExp(`^\\s*${k}\\s*=`).test(line)));
  const added = keys.map((k) => `${k} = ${overrides[k]}`);
  writeFileSync(path, [...kept, '# added by the DeskStack test rack', ...added, ''].join('\n'));
}

function sshdConfig(ip: string): string {
  return [
    '# sshd of one DeskStack test-rack host (written by test/rack/host-dir.ts)',
    'Port 22',
    `ListenAddress ${ip}`,
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PidFile /run/sshd.pid',
    // root may log in by key or by the rack's password (checked against the host's own /etc/shadow)
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    // PAM would start sessions through the machine's systemd; the host has none of its own
    'UsePAM no',
    'PrintMotd no',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n');
}

export interface HostDirInput {
  dir: string;
  ip: string;
  rackPublicKey: string;
  /** sha512-crypt hash of the rack's root password, for the host's private /etc/shadow. */
  rootPasswordHash: string;
}

/** A shadow file naming every account of the machine's /etc/passwd, all locked but root, which gets
 * the rack's password: the machine's real /etc/shadow is neither changed nor copied. */
function hostShadow(rootPasswordHash: string): string {
  const names = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')[0]).filter(Boolean);
  return names.map((n) => `${n}:${n === 'root' ? rootPasswordHash : '*'}:19000:0:99999:7:::\n`).join('');
}

/** Creates the host dir from scratch (any previous content is removed). */
export async function prepareHostDir({ dir, ip, rackPublicKey, rootPasswordHash }: HostDirInput): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  const copies: [string, string][] = [
    ['/etc/libvirt', 'etc-libvirt'],
    ['/var/lib/libvirt', 'var-lib-libvirt'],
    ['/var/log/libvirt', 'var-log-libvirt'],
    ['/var/cache/libvirt', 'var-cache-libvirt'],
    ['/etc/ssh', 'etc-ssh'],
  ];
  for (const [src, name] of copies) {
    if (!existsSync(src)) throw new Error(`${src} is missing — install openssh-server, libvirt-daemon-system and libvirt-clients`);
    await runOk(['cp', '-a', '--', src, join(dir, name)]);
  }
  rewriteConf(join(dir, 'etc-libvirt', 'qemu.conf'), QEMU_CONF_OVERRIDES);
  rewriteConf(join(dir, 'etc-libvirt', 'libvirtd.conf'), {
    log_outputs: '"3:file:/var/log/libvirt/libvirtd.log"',
  });

  mkdirSync(join(dir, 'var-lib-deskstack'), { mode: 0o755 });

  const etcSsh = join(dir, 'etc-ssh');
  for (const kind of ['rsa', 'ecdsa', 'ed25519', 'dsa']) {
    for (const suffix of ['', '.pub']) rmSync(join(etcSsh, `ssh_host_${kind}_key${suffix}`), { force: true });
  }
  rmSync(join(etcSsh, 'sshd_config.d'), { recursive: true, force: true });
  await runOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `rack-host-${ip}`, '-f', join(etcSsh, 'ssh_host_ed25519_key')]);
  writeFileSync(join(etcSsh, 'sshd_config'), sshdConfig(ip), { mode: 0o644 });

  const home = join(dir, 'root-home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  // a fresh home like a new Debian install's, not the machine's own (its .bashrc may need tools we lack)
  for (const f of ['.profile', '.bashrc']) {
    if (existsSync(join('/etc/skel', f))) writeFileSync(join(home, f), readFileSync(join('/etc/skel', f)));
  }
  writeFileSync(join(home, '.ssh', 'authorized_keys'), rackPublicKey.trim() + '\n', { mode: 0o600 });

  writeFileSync(join(dir, 'shadow'), hostShadow(rootPasswordHash), { mode: 0o640 });
  writeFileSync(join(dir, 'kvm-hidden'), '', { mode: 0o000 });
  chmodSync(join(dir, 'kvm-hidden'), 0o000);
}

/** SHA256:... fingerprint of an OpenSSH public key line, as `ssh-keygen -l` prints it. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error('not an OpenSSH public key line');
  return 'SHA256:' + createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
}
