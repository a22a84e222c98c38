// Host onboarding calls (probe, add, preflight, provision, maintenance, remove) by resource + verb.
import type { HostAddResult, HostDetailView, HostProbeView, HostView, InputOf, TaskView } from '../../../main/api/contract/index';
import { client } from './client';

export type { HostDetailView, HostProbeView, PreflightCheckView, PreflightReportView, ProvisionStepView } from '../../../main/api/contract/index';

export type HostAddInput = InputOf<'hostAdd'>;
export type HostAuthInput = NonNullable<HostAddInput['auth']>;

export const hostsApi = {
  probe: (address: string, port: number): Promise<HostProbeView> => client.call('hostProbe', { address, port }),
  add: (input: HostAddInput): Promise<HostAddResult> => client.call('hostAdd', input),
  get: (id: string): Promise<HostDetailView> => client.call('hostGet', { id }),
  preflight: (id: string): Promise<TaskView> => client.call('hostPreflight', { id }),
  provision: (id: string): Promise<TaskView> => client.call('hostProvision', { id }),
  maintenance: (id: string, enabled: boolean, reason?: string): Promise<HostView> => client.call('hostMaintenance', { id, enabled, ...(reason ? { reason } : {}) }),
  remove: (id: string, force = false): Promise<{ ok: true }> => client.call('hostRemove', { id, force }),
};
