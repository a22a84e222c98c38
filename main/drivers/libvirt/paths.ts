// Where the driver keeps things on a host, under its state dir (default /var/lib/deskstack).
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { DeskError } from '../../core/errors';

/** Ids that are safe as one path component and as a libvirt domain name. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertInstanceId(id: string): string {
  if (!SAFE_ID.test(id)) throw new DeskError('BadRequest', `instance id "${id.slice(0, 80)}" is not a valid id — use the server's UUID`);
  return id;
}

export class HostPaths {
  constructor(readonly stateDir: string) {}

  get imagesDir(): string {
    return posix.join(this.stateDir, 'images');
  }

  get instancesDir(): string {
    return posix.join(this.stateDir, 'instances');
  }

  /** An image id usable as a file name as is; anything else (hostile or odd) by its hash. */
  cachedImage(imageId: string): string {
    const name = SAFE_ID.test(imageId) ? imageId : `sha256-${createHash('sha256').update(imageId).digest('hex')}`;
    return posix.join(this.imagesDir, name);
  }

  instanceDir(id: string): string {
    return posix.join(this.instancesDir, assertInstanceId(id));
  }

  disk(id: string): string {
    return posix.join(this.instanceDir(id), 'disk');
  }

  seedIso(id: string): string {
    return posix.join(this.instanceDir(id), 'seed.iso');
  }

  consoleLog(id: string): string {
    return posix.join(this.instanceDir(id), 'console.log');
  }

  domainXml(id: string): string {
    return posix.join(this.instanceDir(id), 'domain.xml');
  }
}
