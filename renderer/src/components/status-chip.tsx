import type { ReactElement } from 'react';

const COLOR: Record<string, string> = {
  ACTIVE: 'green', ENABLED: 'green', RUNNING: 'green', UP: 'green', SUCCEEDED: 'green', AVAILABLE: 'green',
  BUILD: 'blue', REBUILD: 'blue', REBOOT: 'blue', HARD_REBOOT: 'blue', QUEUED: 'blue', SAVING: 'blue', UPLOADING: 'blue', IMPORTING: 'blue', MIGRATING: 'blue', RESIZE: 'blue', PROVISIONING: 'blue', NEW: 'violet',
  SHUTOFF: 'gray', STOPPED: 'gray', DELETED: 'gray', CANCELLED: 'gray', SUSPENDED: 'gray', PAUSED: 'amber', MAINTENANCE: 'amber', DISABLED: 'amber', INTERRUPTED: 'amber', UNKNOWN: 'amber', DEACTIVATED: 'amber',
  ERROR: 'red', FAILED: 'red', DOWN: 'red', KILLED: 'red',
};

const BUSY = new Set(['BUILD', 'REBUILD', 'REBOOT', 'HARD_REBOOT', 'QUEUED', 'SAVING', 'UPLOADING', 'IMPORTING', 'RUNNING_TASK', 'MIGRATING', 'RESIZE', 'PROVISIONING']);

/** A coloured status word; transitional states pulse and show their task state. */
export function StatusChip({ status, task }: { status: string; task?: string | null }): ReactElement {
  const key = status.toUpperCase();
  const busy = BUSY.has(key) || Boolean(task);
  const label = task ? `${status} · ${task}` : status;
  return <span className={`chip ${COLOR[key] ?? 'gray'}${busy ? ' pulse' : ''}`} data-status={key}>{label}</span>;
}
