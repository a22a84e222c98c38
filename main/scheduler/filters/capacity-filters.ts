// RamFilter, DiskFilter and VcpuFilter: what is left is capacity × allocation ratio − allocated.
import type { Candidate, Filter } from '../types';

export const freeRamMb = ({ host, used }: Candidate) => host.memoryMb * host.ramAllocationRatio - used.memoryMb;
export const freeDiskGb = ({ host, used }: Candidate) => host.diskGb * host.diskAllocationRatio - used.diskGb;
export const freeVcpus = ({ host, used }: Candidate) => host.vcpus * host.cpuAllocationRatio - used.vcpus;

const shown = (n: number) => Math.max(0, Math.floor(n));

export const ramFilter: Filter = {
  name: 'RamFilter',
  check(c, req) {
    const free = freeRamMb(c);
    return req.memoryMb <= free ? null : `${shown(free)} MiB free < ${req.memoryMb} MiB`;
  },
};

export const diskFilter: Filter = {
  name: 'DiskFilter',
  check(c, req) {
    const free = freeDiskGb(c);
    return req.diskGb <= free ? null : `${shown(free)} GB free < ${req.diskGb} GB`;
  },
};

export const vcpuFilter: Filter = {
  name: 'VcpuFilter',
  check(c, req) {
    const free = freeVcpus(c);
    return req.vcpus <= free ? null : `${shown(free)} vCPUs free < ${req.vcpus} vCPUs`;
  },
};
