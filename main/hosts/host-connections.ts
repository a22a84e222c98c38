// One pooled connection per real host, authenticated with DeskStack's own key and pinned to the
// host key the user confirmed. A host added as "This computer" (address `local`) runs commands here.
import { DeskError } from '../core/errors';
import type { Executor } from '../drivers/executor/executor';
import { LocalExecutor } from '../drivers/executor/local-executor';
import { SshExecutor } from '../drivers/executor/ssh-executor';
import type { HostAccess } from './host-records';
import { LimitedExecutor } from './limited-executor';
import type { SshIdentity } from './ssh-identity';

/** The address that stands for the computer the control plane runs on. */
export const LOCAL_ADDRESS = 'local';

export interface HostLink {
  /** Runs as the SSH user (the preflight and key installation use this one). */
  exec: Executor;
  /** Runs as root: the same executor for root, else one that goes through `sudo -n` (drivers use this). */
  root: Executor;
}

export class HostConnections {
  private readonly pool = new Map<string, HostLink>();

  constructor(private readonly identity: () => SshIdentity) {}

  /** The pooled link to a host, opened lazily on its first command. */
  link(hostId: string, access: HostAccess): HostLink {
    const existing = this.pool.get(hostId);
    if (existing) return existing;
    const link = access.address === LOCAL_ADDRESS ? localLink() : this.sshLink(access);
    this.pool.set(hostId, link);
    return link;
  }

  private sshLink(access: HostAccess): HostLink {
    if (!access.hostKey) {
      throw new DeskError('Unavailable', `Host ${access.address} has no pinned host key; remove it and add it again to confirm its key.`);
    }
    const { privateKey } = this.identity();
    const target = { host: access.address, port: access.port, username: access.username, privateKey, hostKeyFingerprint: access.hostKey };
    const exec = new LimitedExecutor(new SshExecutor(target));
    const root = access.username === 'root' ? exec : new LimitedExecutor(new SshExecutor({ ...target, sudo: true }));
    return { exec, root };
  }

  /** Drops a host's connections (after a remove, or to force a reconnect). */
  async close(hostId: string): Promise<void> {
    const link = this.pool.get(hostId);
    this.pool.delete(hostId);
    if (!link) return;
    await Promise.allSettled([link.exec.close(), link.root === link.exec ? Promise.resolve() : link.root.close()]);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.pool.keys()].map((id) => this.close(id)));
  }
}

function localLink(): HostLink {
  const exec = new LocalExecutor();
  return { exec, root: exec };
}
