// Names and addresses of a test rack: every kernel object a rack makes starts with its name, and
// every rack name starts with RACK_PREFIX, so `down` can find leftovers after a crash.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RACK_PREFIX = 'dsr';
/** Network-interface names are limited to 15 bytes; `<name>-v<NN>` must fit. */
const MAX_NAME = 11;
export const MAX_HOSTS = 50;

export const STATE_ROOT = join(tmpdir(), 'deskstack-rack');

/** Returns a valid rack name: a given name gets the prefix if missing; no name gets a random one. */
export function rackName(given?: string): string {
  if (given === undefined) return `${RACK_PREFIX}${randomBytes(3).toString('hex').slice(0, 5)}`;
  const name = given.startsWith(RACK_PREFIX) ? given : `${RACK_PREFIX}${given}`;
  if (!/^[a-z][a-z0-9]*$/.test(name) || name.length > MAX_NAME) {
    throw new Error(`rack name "${given}" is invalid: use 1-8 lowercase letters or digits`);
  }
  return name;
}

export function isRackName(name: string): boolean {
  return name.startsWith(RACK_PREFIX) && /^[a-z][a-z0-9]*$/.test(name) && name.length <= MAX_NAME;
}

export interface RackNames {
  rack: string;
  bridge: string;
  dir: string;
}

export function rackNames(rack: string): RackNames {
  return { rack, bridge: `${rack}-br`, dir: join(STATE_ROOT, rack) };
}

export interface HostNames {
  index: number;
  name: string; // hostname and netns name
  veth: string; // root-namespace end of the veth pair
  dir: string;
}

export function hostNames(rack: string, index: number): HostNames {
  return { index, name: `${rack}-h${index}`, veth: `${rack}-v${index}`, dir: join(STATE_ROOT, rack, `h${index}`) };
}

/** Host i (1-based) gets .10+i; the bridge in the root namespace gets .1. */
export function hostIp(subnet: number, index: number): string {
  return `10.251.${subnet}.${10 + index}`;
}

export function bridgeIp(subnet: number): string {
  return `10.251.${subnet}.1`;
}
