import { useEffect, useState } from 'react';
import type { TaskView } from '../../../../main/api/contract/index';
import { asClientError } from '../../api/client';
import { hostsApi, type HostDetailView } from '../../api/hosts-api';
import { selectHosts, selectTasks, useData } from '../../stores/data';

/** A task as the store last heard of it (task events keep it live). */
export function useTask(id: string | null): TaskView | undefined {
  const tasks = useData(selectTasks);
  return id ? tasks[id] : undefined;
}

/**
 * A host's preflight report and provisioning steps, reloaded whenever the host or one of its
 * tasks changes (both arrive as pushed events), never on a timer.
 */
export function useHostDetail(hostId: string | null, taskIds: Array<string | null>): { detail: HostDetailView | null; error: string | null } {
  const hosts = useData(selectHosts);
  const tasks = useData(selectTasks);
  const host = hostId ? hosts.find((h) => h.id === hostId) : undefined;
  const stamp = [host?.provisionState, host?.state, host?.vcpus, ...taskIds.map((t) => (t ? `${tasks[t]?.state}:${tasks[t]?.step}` : ''))].join('|');
  const [detail, setDetail] = useState<HostDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!hostId) return;
    let live = true;
    hostsApi.get(hostId).then(
      (d) => live && (setDetail(d), setError(null)),
      (err) => live && setError(asClientError(err).message),
    );
    return () => {
      live = false;
    };
  }, [hostId, stamp]);
  return { detail, error };
}
