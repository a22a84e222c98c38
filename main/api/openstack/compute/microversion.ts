// Nova microversions: OpenStack-API-Version: compute X.Y (or the legacy X-OpenStack-Nova-API-Version),
// "latest" meaning our maximum; every response says which version answered.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DeskError } from '../../../core/errors';

export const MIN_VERSION = '2.1';
/** The highest microversion whose request and response shapes DeskStack implements. */
export const MAX_VERSION = '2.90';

export interface ApiVersion {
  major: number;
  minor: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The compute microversion of this request (set by the compute API's onRequest hook). */
    novaVersion?: ApiVersion;
  }
}

export const parseVersion = (s: string): ApiVersion => {
  const [major, minor] = s.split('.').map(Number);
  return { major, minor };
};

const MIN = parseVersion(MIN_VERSION);
const MAX = parseVersion(MAX_VERSION);

const cmp = (a: ApiVersion, b: ApiVersion): number => (a.major - b.major) * 10_000 + (a.minor - b.minor);

/** True when the request's version is at least `v` ("2.47"). */
export function atLeast(req: FastifyRequest, v: string): boolean {
  return cmp(req.novaVersion ?? MIN, parseVersion(v)) >= 0;
}

export const versionString = (v: ApiVersion): string => `${v.major}.${v.minor}`;

function requested(req: FastifyRequest): string | undefined {
  const modern = req.headers['openstack-api-version'];
  if (typeof modern === 'string') {
    // The header may list several services: "compute 2.60, volume 3.0".
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && version) return version;
    }
  }
  const legacy = req.headers['x-openstack-nova-api-version'];
  return typeof legacy === 'string' && legacy.trim() ? legacy.trim() : undefined;
}

export type VersionOutcome = { ok: true; version: ApiVersion } | { ok: false; status: 400 | 406; message: string };

export function negotiate(req: FastifyRequest): VersionOutcome {
  const raw = requested(req);
  if (raw === undefined) return { ok: true, version: MIN };
  if (raw.toLowerCase() === 'latest') return { ok: true, version: MAX };
  if (!/^[1-9]\d{0,3}\.(0|[1-9]\d{0,3})$/.test(raw)) {
    return { ok: false, status: 400, message: `API Version String ${raw.slice(0, 50)} is of invalid format. Must be of format MajorNum.MinorNum.` };
  }
  const v = parseVersion(raw);
  if (cmp(v, MIN) < 0 || cmp(v, MAX) > 0) {
    return { ok: false, status: 406, message: `Version ${raw} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${MAX_VERSION}.` };
  }
  return { ok: true, version: v };
}

export function setVersionHeaders(reply: FastifyReply, v: ApiVersion): void {
  const s = versionString(v);
  reply.header('OpenStack-API-Version', `compute ${s}`);
  reply.header('X-OpenStack-Nova-API-Version', s);
  reply.header('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
}

const notFound = () => new DeskError('NotFound', 'The resource could not be found.');

/** Nova answers 404 for an API the request's microversion does not have yet. */
export function requireAtLeast(req: FastifyRequest, v: string): void {
  if (!atLeast(req, v)) throw notFound();
}

/** Nova answers 404 for an API removed at microversion `v` (the proxies to Glance and Neutron at 2.36). */
export function requireBelow(req: FastifyRequest, v: string): void {
  if (atLeast(req, v)) throw notFound();
}
