// A compute host as the rest of the control plane sees it: the `hosts` row in camelCase.
import type { VirtType } from '../drivers/types';

export type HostState = 'up' | 'down' | 'unknown';
export type ProvisionState = 'new' | 'preflight' | 'provisioning' | 'ready' | 'failed';

export interface HostView {
  id: string;
  name: string;
  driver: 'fake' | 'libvirt';
  address: string;
  enabled: boolean;
  disabledReason: string | null;
  state: HostState;
  provisionState: ProvisionState;
  availabilityZone: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  cpuModel: string;
  virtType: VirtType;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string | null;
}

export interface HostRow {
  id: string;
  name: string;
  driver: 'fake' | 'libvirt';
  address: string;
  enabled: number;
  disabled_reason: string | null;
  state: HostState;
  provision_state: ProvisionState;
  availability_zone: string;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  cpu_model: string;
  virt_type: VirtType;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip: string;
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
}

/** The columns a HostView is read from (not port, username, host_key or settings). */
export const HOST_COLUMNS =
  'id, name, driver, address, enabled, disabled_reason, state, provision_state, availability_zone, vcpus, memory_mb, disk_gb, cpu_model, virt_type, hypervisor_type, hypervisor_version, host_ip, cpu_allocation_ratio, ram_allocation_ratio, disk_allocation_ratio, created_at, updated_at, last_seen_at';

export function toHostView(r: HostRow): HostView {
  return {
    id: r.id,
    name: r.name,
    driver: r.driver,
    address: r.address,
    enabled: r.enabled === 1,
    disabledReason: r.disabled_reason,
    state: r.state,
    provisionState: r.provision_state,
    availabilityZone: r.availability_zone,
    vcpus: r.vcpus,
    memoryMb: r.memory_mb,
    diskGb: r.disk_gb,
    cpuModel: r.cpu_model,
    virtType: r.virt_type,
    hypervisorType: r.hypervisor_type,
    hypervisorVersion: r.hypervisor_version,
    hostIp: r.host_ip,
    cpuAllocationRatio: r.cpu_allocation_ratio,
    ramAllocationRatio: r.ram_allocation_ratio,
    diskAllocationRatio: r.disk_allocation_ratio,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSeenAt: r.last_seen_at,
  };
}
