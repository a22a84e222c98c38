// Builds the HostDriver for a real host: the libvirt driver over the host's root executor, with
// the virt type its preflight found (kvm, or qemu = software emulation).
import type { Executor } from '../drivers/executor/executor';
import { LibvirtDriver } from '../drivers/libvirt/index';
import type { HostDriver, VirtType } from '../drivers/types';

export interface LibvirtDriverInput {
  hostName: string;
  exec: Executor;
  virtType: VirtType;
}

export function createLibvirtDriver(input: LibvirtDriverInput): HostDriver {
  return new LibvirtDriver(input.exec, { virtType: input.virtType, hostName: input.hostName });
}
