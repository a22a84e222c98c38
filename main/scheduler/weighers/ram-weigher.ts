import { freeRamMb } from '../filters/capacity-filters';
import type { Weigher } from '../types';

/** Spread: the host with the most free RAM wins (Nova's default ram_weight_multiplier of 1.0). */
export const ramWeigher: Weigher = {
  name: 'RAMWeigher',
  multiplier: 1,
  raw: (c) => freeRamMb(c),
};
