import type { Filter } from '../types';

/** Only hosts that are enabled, answering and provisioned take new servers. */
export const computeFilter: Filter = {
  name: 'ComputeFilter',
  check({ host }) {
    if (!host.enabled) return host.disabledReason ? `host is disabled (${host.disabledReason})` : 'host is disabled';
    if (host.state !== 'up') return `host is ${host.state === 'down' ? 'down' : 'in an unknown state'}`;
    if (host.provisionState !== 'ready') return `host is not provisioned (${host.provisionState})`;
    return null;
  },
};
