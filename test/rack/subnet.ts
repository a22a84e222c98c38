// Picks a free 10.251.X.0/24 for a rack: no address or specific route of the machine may fall in it,
// and concurrent racks claim theirs with an exclusive file so two never share one.
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './run';
import { STATE_ROOT, rackNames } from './naming';

interface IpAddrJson {
  addr_info?: { family?: string; local?: string }[];
}
interface IpRouteJson {
  dst?: string;
}

function thirdOctetIn10251(addr: string): number | undefined {
  const m = /^10\.251\.(\d+)\.\d+(?:\/(\d+))?$/.exec(addr);
  if (!m) return undefined;
  if (m[2] !== undefined && Number(m[2]) < 24) return undefined; // a broad route, not a clash
  return Number(m[1]);
}

async function subnetsInUse(): Promise<Set<number>> {
  const used = new Set<number>();
  const addrs = JSON.parse((await runOk(['ip', '-j', 'addr', 'show'])).stdout) as IpAddrJson[];
  for (const link of addrs) {
    for (const a of link.addr_info ?? []) {
      const x = a.family === 'inet' && a.local ? thirdOctetIn10251(a.local) : undefined;
      if (x !== undefined) used.add(x);
    }
  }
  const routes = JSON.parse((await runOk(['ip', '-j', '-4', 'route', 'show', 'table', 'all'])).stdout) as IpRouteJson[];
  for (const r of routes) {
    const x = r.dst ? thirdOctetIn10251(r.dst) : undefined;
    if (x !== undefined) used.add(x);
  }
  return used;
}

function claimPath(subnet: number): string {
  return join(STATE_ROOT, `subnet-${subnet}`);
}

/** Claims a free subnet number X (10.251.X.0/24) for `rack`; release it with releaseSubnet. */
export async function claimSubnet(rack: string): Promise<number> {
  mkdirSync(STATE_ROOT, { recursive: true, mode: 0o755 });
  const used = await subnetsInUse();
  const candidates = Array.from({ length: 250 }, (_, i) => i + 2).filter((x) => !used.has(x));
  candidates.sort(() => Math.random() - 0.5); // spread racks out so stale claims rarely matter
  for (const x of candidates) {
    const path = claimPath(x);
    if (existsSync(path)) {
      const owner = readFileSync(path, 'utf8').trim();
      if (existsSync(rackNames(owner).dir)) continue;
      unlinkSync(path); // the owning rack is gone: a leftover claim
    }
    try {
      writeFileSync(path, rack, { flag: 'wx' });
      return x;
    } catch {
      continue; // another rack claimed it a moment ago
    }
  }
  throw new Error('no free 10.251.X.0/24 subnet for the test rack — run `node bin/tsx-run.mjs test/rack/cli.ts down` to clear leftovers');
}

export function releaseSubnet(rack: string, subnet: number): void {
  const path = claimPath(subnet);
  if (existsSync(path) && readFileSync(path, 'utf8').trim() === rack) unlinkSync(path);
}

/** Removes every claim whose rack no longer exists or that belongs to `rack`. */
export function releaseClaimsOf(isGone: (rack: string) => boolean): void {
  for (let x = 0; x < 256; x++) {
    const path = claimPath(x);
    if (existsSync(path) && isGone(readFileSync(path, 'utf8').trim())) unlinkSync(path);
  }
}
