// Checks on what callers hand the host service; the REST and UI layers validate shape, this checks meaning.
import { badRequest } from '../core/errors';

const HOST_NAME = /^[A-Za-z0-9._-]{1,63}$/;

/** A host name ends up in file names, libvirt names and log lines, so it must be a plain identifier. */
export function checkHostName(name: string): string {
  if (typeof name !== 'string' || !HOST_NAME.test(name) || name === '.' || name === '..') {
    const shown = typeof name === 'string' ? JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name) : String(name);
    throw badRequest(`Invalid host name ${shown}: use 1 to 63 letters, digits, dots, dashes or underscores (for example "demo-1").`);
  }
  return name;
}

/** Nova refuses ':' in zone names because "zone:host" picks a host; control characters never belong in one. */
export function checkAvailabilityZone(zone: string): string {
  if (typeof zone !== 'string' || zone.trim() === '' || zone.length > 255 || zone.includes(':') || /[\u0000-\u001f\u007f]/.test(zone)) {
    throw badRequest(`Invalid availability zone ${JSON.stringify(String(zone).slice(0, 80))}: use 1 to 255 printable characters without ':' (for example "nova").`);
  }
  return zone;
}

export function checkCapacity(what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw badRequest(`Invalid ${what} ${value}: give a whole number from 1 to ${max}.`);
  }
  return value;
}
