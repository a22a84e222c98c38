// Adding and running real hosts (the add-host wizard and `deskstack host …`): admin only.
import type { ControlPlane } from '../../../control-plane';
import { notFound } from '../../../core/errors';
import type { HostDetailView, HostView } from '../../contract/views';
import type { Handler } from '../dispatch';
import { hostViews } from './hosts';

function hostView(cp: ControlPlane, id: string): HostView {
  const view = hostViews(cp).find((h) => h.id === id);
  if (!view) throw notFound('Host', id);
  return view;
}

export function hostDetail(cp: ControlPlane, id: string): HostDetailView {
  const host = cp.hosts.get(id);
  const access = cp.hosts.access(id);
  const rec = cp.hosts.provisioning(id);
  const p = rec.preflight;
  return {
    ...hostView(cp, id),
    port: access.port,
    username: access.username,
    hostKeyFingerprint: access.hostKey,
    availabilityZone: host.availabilityZone,
    cpuModel: host.cpuModel,
    virtType: host.virtType,
    preflight: p && {
      at: p.at,
      target: p.target,
      ok: p.ok,
      os: { id: p.os.id, versionId: p.os.versionId, prettyName: p.os.prettyName },
      virtType: p.virtType,
      vcpus: p.vcpus,
      memoryMb: p.memoryMb,
      diskMb: p.diskMb,
      diskAvailableMb: p.diskAvailableMb,
      cpuModel: p.cpuModel,
      libvirtVersion: p.libvirtVersion,
      missingPackages: p.missingPackages,
      checks: p.checks,
    },
    preflightTaskId: rec.preflightTaskId,
    provisionTaskId: rec.provisionTaskId,
    provisionSteps: rec.steps,
  };
}

export const hostProbe: Handler<'hostProbe'> = ({ cp }, input) => cp.hosts.probe(input.address, input.port);

export const hostAdd: Handler<'hostAdd'> = async ({ cp }, input) => {
  const { host, preflightTask } = await cp.hosts.addHost({
    address: input.address,
    port: input.port,
    user: input.user,
    auth: input.auth,
    name: input.name,
    hostKeyFingerprint: input.hostKeyFingerprint,
  });
  return { host: hostView(cp, host.id), preflightTaskId: preflightTask.id };
};

export const hostGet: Handler<'hostGet'> = ({ cp }, input) => hostDetail(cp, input.id);

export const hostPreflight: Handler<'hostPreflight'> = ({ cp }, input) => cp.hosts.startPreflight(input.id);

export const hostProvision: Handler<'hostProvision'> = ({ cp }, input) => cp.hosts.startProvision(input.id);

export const hostMaintenance: Handler<'hostMaintenance'> = ({ cp }, input) => {
  cp.hosts.setEnabled(input.id, input.enabled, input.reason);
  return hostView(cp, input.id);
};

export const hostRemove: Handler<'hostRemove'> = async ({ cp }, input) => {
  await cp.hosts.remove(input.id, { force: input.force, servers: cp.compute });
  return { ok: true };
};
