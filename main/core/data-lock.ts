import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DeskError } from './errors';

export interface DataLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One control plane owns a data folder at a time. The lock file names its holder;
 * a lock left by a dead process on this machine is taken over.
 */
export function acquireDataLock(dataDir: string): DataLock {
  const file = join(dataDir, 'deskstack.lock');
  const me = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, me);
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; host?: string; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // A half-written lock is as good as stale.
      }
      const sameMachine = holder.host === hostname();
      if (sameMachine && holder.pid && alive(holder.pid) && holder.pid !== process.pid) {
        throw new DeskError(
          'Conflict',
          `The data folder ${dataDir} is in use by DeskStack process ${holder.pid} (since ${holder.since}). Stop that process, or start with --data pointing at another folder.`,
        );
      }
      if (!sameMachine && holder.host) {
        throw new DeskError('Conflict', `The data folder ${dataDir} is locked by DeskStack on ${holder.host}. Stop it there, or delete ${file} if that machine is gone.`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new DeskError('Conflict', `Could not lock the data folder ${dataDir}.`);
}
