// Opens one pinned SSH connection: the host key must match the fingerprint the user confirmed,
// and every failure becomes a DeskError that says what to do.
import { NodeSSH } from 'node-ssh';
import { DeskError } from '../../core/errors';
import { fingerprintOf, normalizeFingerprint } from './host-key';

export interface SshTarget {
  host: string;
  port?: number;
  /** Default root. */
  username?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string | Buffer;
  passphrase?: string;
  /** Used when no key is given (first contact, to install DeskStack's key). */
  password?: string;
  /** The pinned host key, `SHA256:…` as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  /** Keep-alive probe interval in ms (default 15 s; 3 missed probes drop the connection). */
  keepaliveInterval?: number;
  /** How long the handshake may take, in ms (default 20 s). */
  readyTimeout?: number;
}

export function targetName(t: SshTarget): string {
  return `${t.username ?? 'root'}@${t.host}:${t.port ?? 22}`;
}

/** Connects and authenticates; refuses a host whose key is not the pinned one. */
export async function connectPinned(t: SshTarget): Promise<NodeSSH> {
  const expected = normalizeFingerprint(t.hostKeyFingerprint);
  if (!expected) {
    throw new DeskError('BadRequest', `host ${t.host}: "${t.hostKeyFingerprint}" is not a SHA256 host key fingerprint — give it as SHA256:… (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)`);
  }
  if (t.privateKey === undefined && t.password === undefined) {
    throw new DeskError('BadRequest', `${targetName(t)}: no private key or password given — add one to connect`);
  }
  const ssh = new NodeSSH();
  let offered: string | undefined;
  try {
    await ssh.connect({
      host: t.host,
      port: t.port ?? 22,
      username: t.username ?? 'root',
      privateKey: t.privateKey === undefined ? undefined : t.privateKey.toString(),
      passphrase: t.passphrase,
      password: t.privateKey === undefined ? t.password : undefined,
      tryKeyboard: false,
      keepaliveInterval: t.keepaliveInterval ?? 15_000,
      keepaliveCountMax: 3,
      readyTimeout: t.readyTimeout ?? 20_000,
      hostVerifier: (key: Buffer) => {
        offered = fingerprintOf(key);
        return offered === expected;
      },
    });
  } catch (err) {
    ssh.dispose();
    if (offered !== undefined && offered !== expected) {
      throw new DeskError(
        'Forbidden',
        `host ${t.host}: host key changed: expected ${expected}, got ${offered} — if the host was reinstalled, remove and re-add it`,
        { reason: 'host-key-changed', expected, got: offered },
      );
    }
    throw connectError(t, err);
  }
  ssh.connection!.on('error', () => undefined); // after ready, errors surface as 'close'; keep them from crashing the process
  return ssh;
}

function connectError(t: SshTarget, err: unknown): DeskError {
  if (err instanceof DeskError) return err;
  const e = err as Error & { level?: string; code?: string };
  const who = targetName(t);
  if (e.level === 'client-authentication') {
    return new DeskError('Forbidden', `${who}: authentication failed — check the ${t.privateKey !== undefined ? 'key (is DeskStack\'s public key in authorized_keys?)' : 'password'} and that the user may log in over SSH`, { reason: 'auth' });
  }
  if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT') {
    return new DeskError('Unavailable', `${who}: no answer from the SSH server in time — check the address, the port and any firewall`, { reason: 'timeout' });
  }
  const code = e.code ?? e.message;
  const hint = code === 'ECONNREFUSED' ? 'is sshd running and listening on that port?' : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'is the host on and on this network?' : 'check the address and that sshd runs';
  return new DeskError('Unavailable', `${who}: cannot connect (${code}) — ${hint}`, { reason: 'connect', cause: code });
}
