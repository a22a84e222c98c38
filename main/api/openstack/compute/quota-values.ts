// The quota resources each microversion shows and takes, shared by os-quota-sets and os-quota-class-sets.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AnyQuotaResource } from '../../../compute/quotas';
import { LEGACY_QUOTA_DEFAULTS, QUOTA_RESOURCES, type LegacyQuotaResource } from '../../../compute/types';
import { atLeast } from './microversion';
import { integerLike } from './schemas';

const NETWORK: LegacyQuotaResource[] = ['fixed_ips', 'floating_ips', 'security_group_rules', 'security_groups'];
const FILES: LegacyQuotaResource[] = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** Nova's _common_quota: an integer or its string, -1 (unlimited) to the database's MAX_INT. */
export const quotaValue = integerLike({ min: -1, max: 0x7fffffff, pattern: /^-?[0-9]+$/ });

/** Legacy resources still shown: networking ones until `networkGone` (2.36 for quota sets, 2.50 for classes), files until 2.57. */
export function legacyShown(req: FastifyRequest, networkGone: string): LegacyQuotaResource[] {
  return [...(atLeast(req, networkGone) ? [] : NETWORK), ...(atLeast(req, '2.57') ? [] : FILES)];
}

/** The strict body schema of an update: every resource the microversion has, as a quota value. */
export function quotaShape(req: FastifyRequest, networkGone: string, resources: readonly AnyQuotaResource[] = QUOTA_RESOURCES): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const r of [...resources, ...legacyShown(req, networkGone)]) shape[r] = quotaValue.optional();
  return shape;
}

export const isLegacy = (r: string): r is LegacyQuotaResource => r in LEGACY_QUOTA_DEFAULTS;
