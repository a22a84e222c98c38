// Tears a rack down, or every rack's leftovers after a crash, by name: kills the processes in its
// network namespaces (the PID 1 of each host takes its whole PID namespace with it), deletes the
// namespaces, veths and bridge, and removes its state dir. Synchronous so an 'exit' handler can use
// it; safe to run twice.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { RACK_PREFIX, STATE_ROOT, isRackName, rackNames } from './naming';
import { runSync } from './run';
import { releaseClaimsOf } from './subnet';

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function listJson<T>(argv: string[]): T[] {
  const r = runSync(argv);
  if (r.code !== 0 || r.stdout.trim() === '') return [];
  return JSON.parse(r.stdout) as T[];
}

function netnsNames(): string[] {
  return listJson<{ name: string }>(['ip', '-j', 'netns', 'list']).map((n) => n.name);
}

function linkNames(): string[] {
  return listJson<{ ifname: string }>(['ip', '-j', 'link', 'show']).map((l) => l.ifname);
}

function rackOf(objectName: string): string | undefined {
  const rack = objectName.split('-')[0] ?? '';
  return objectName.includes('-') && isRackName(rack) ? rack : undefined;
}

function pidsIn(ns: string): number[] {
  const r = runSync(['ip', 'netns', 'pids', ns]);
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n) && n > 1);
}

/** True while `pid` exists and is not a zombie (a zombie has left its namespaces already). */
export function processRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function killNamespace(ns: string): void {
  const seen = new Set<number>();
  for (let attempt = 0; attempt < 100; attempt++) {
    const pids = pidsIn(ns);
    pids.forEach((p) => seen.add(p));
    if (pids.length === 0 && ![...seen].some(processRunning)) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sleepSync(100);
  }
  throw new Error(`rack namespace ${ns}: processes ${pidsIn(ns).join(' ')} survive SIGKILL — check them with ps`);
}

function mountsUnder(dir: string): string[] {
  const fields = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '');
  return fields.filter((m) => m === dir || m.startsWith(dir + '/'));
}

/** Removes everything named by rack `rack`. */
export function teardownRack(rack: string): void {
  if (!isRackName(rack)) throw new Error(`"${rack}" is not a rack name (they start with "${RACK_PREFIX}")`);
  const mine = (name: string): boolean => name.startsWith(`${rack}-`);
  for (const ns of netnsNames().filter(mine)) {
    killNamespace(ns);
    runSync(['ip', 'netns', 'del', ns]);
  }
  for (const link of linkNames().filter(mine)) runSync(['ip', 'link', 'del', link]);
  const { dir } = rackNames(rack);
  if (existsSync(dir)) {
    const mounts = mountsUnder(dir);
    if (mounts.length > 0) throw new Error(`rack dir ${dir} still has mounts (${mounts.join(', ')}) — not removing it`);
    rmSync(dir, { recursive: true, force: true });
  }
  releaseClaimsOf((owner) => owner === rack || !existsSync(rackNames(owner).dir));
}

/** Names of every rack that left something behind (namespaces, links or state dirs). */
export function findRacks(): string[] {
  const names = new Set<string>();
  for (const n of [...netnsNames(), ...linkNames()]) {
    const rack = rackOf(n);
    if (rack) names.add(rack);
  }
  if (existsSync(STATE_ROOT)) {
    for (const e of readdirSync(STATE_ROOT, { withFileTypes: true })) {
      if (e.isDirectory() && isRackName(e.name)) names.add(e.name);
    }
  }
  return [...names].sort();
}

/** Tears down every rack found; returns their names. */
export function teardownAll(): string[] {
  const racks = findRacks();
  for (const rack of racks) teardownRack(rack);
  releaseClaimsOf((owner) => !existsSync(rackNames(owner).dir));
  return racks;
}
