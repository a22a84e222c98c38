// First contact with a real host: show its key for confirmation (trust on first use), then use the
// user's password or key once to install DeskStack's own public key. Neither is ever stored.
import { badRequest, DeskError } from '../core/errors';
import { normalizeFingerprint, probeHostKey } from '../drivers/executor/host-key';
import { SshExecutor } from '../drivers/executor/ssh-executor';

export interface ProbeResult {
  address: string;
  port: number;
  /** `SHA256:…`, what `ssh-keygen -l` prints; show it to the user before trusting it. */
  fingerprint: string;
  keyType: string;
}

export type HostAuth = { privateKey: string; passphrase?: string } | { password: string };

const ADDRESS = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]{2,45}\]?$/;

/** An IP address or DNS name; nothing a shell or ssh option parser could read as more. */
export function checkAddress(address: string): string {
  const a = address.trim();
  if (!ADDRESS.test(a) || a.startsWith('-')) {
    throw badRequest(`Invalid host address ${JSON.stringify(address.slice(0, 80))}: give an IP address or a DNS name such as 10.0.0.5 or kvm1.lan.`);
  }
  return a.replace(/^\[|\]$/g, '');
}

/** Connects just far enough to read the host key. */
export async function probeHost(address: string, port: number): Promise<ProbeResult> {
  const host = checkAddress(address);
  const key = await probeHostKey({ host, port, timeoutMs: 15_000 });
  return { address: host, port, fingerprint: key.fingerprint, keyType: key.keyType };
}

/** The canonical `SHA256:…` form, or BadRequest saying what is expected. */
export function checkFingerprint(text: string): string {
  const fp = normalizeFingerprint(text);
  if (!fp) throw badRequest(`"${text.slice(0, 80)}" is not a host key fingerprint: give it as SHA256:… (43 base64 characters), as shown by the probe or \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the host.`);
  return fp;
}

/** Refuses when the host's live key is not the one the user confirmed (a changed key or a different machine). */
export async function verifyLiveKey(address: string, port: number, confirmed: string): Promise<void> {
  const live = await probeHost(address, port);
  if (live.fingerprint !== confirmed) {
    throw new DeskError(
      'Forbidden',
      `host ${address}: host key changed: you confirmed ${confirmed} but the host now offers ${live.fingerprint} — check that this is the right machine (if it was reinstalled, probe it again and confirm the new key).`,
      { reason: 'host-key-changed', expected: confirmed, got: live.fingerprint },
    );
  }
}

// Appends the key unless present, keeping authorized_keys' other lines and a final newline intact.
const INSTALL_KEY_SCRIPT = [
  'set -e',
  'umask 077',
  'd="$HOME/.ssh"; f="$d/authorized_keys"',
  'mkdir -p "$d"; touch "$f"',
  'if grep -qxF "$1" "$f"; then echo present; exit 0; fi',
  'if [ -s "$f" ] && [ -n "$(tail -c 1 "$f")" ]; then echo >> "$f"; fi',
  'printf "%s\\n" "$1" >> "$f"',
  'chmod 700 "$d"; chmod 600 "$f"',
  'echo installed',
].join('\n');

/**
 * Logs in once with what the user gave and adds DeskStack's public key to that user's
 * authorized_keys (idempotent). Returns 'installed' or 'present'.
 */
export async function installDeskKey(
  target: { address: string; port: number; username: string; fingerprint: string },
  auth: HostAuth,
  publicKey: string,
): Promise<'installed' | 'present'> {
  const exec = new SshExecutor({
    host: target.address,
    port: target.port,
    username: target.username,
    hostKeyFingerprint: target.fingerprint,
    readyTimeout: 20_000,
    ...('password' in auth ? { password: auth.password } : { privateKey: auth.privateKey, passphrase: auth.passphrase }),
  });
  try {
    const res = await exec.runChecked(['sh', '-c', INSTALL_KEY_SCRIPT, 'sh', publicKey], {
      timeoutMs: 30_000,
      hint: `check that ${target.username}'s home directory is writable`,
    });
    return res.stdout.includes('present') ? 'present' : 'installed';
  } finally {
    await exec.close();
  }
}
