// Nova's stable vm_state, transitional task_state and the API status they map to
// (nova/compute/vm_states.py, task_states.py, nova/api/openstack/common.py _STATE_MAP).
import { conflict } from '../core/errors';

export const VM = {
  ACTIVE: 'active',
  BUILDING: 'building',
  STOPPED: 'stopped',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  ERROR: 'error',
  DELETED: 'deleted',
} as const;

export const TASK = {
  SCHEDULING: 'scheduling',
  NETWORKING: 'networking',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  SPAWNING: 'spawning',
  POWERING_ON: 'powering-on',
  POWERING_OFF: 'powering-off',
  REBOOTING: 'rebooting',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  DELETING: 'deleting',
  REBUILDING: 'rebuilding',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  REBUILD_SPAWNING: 'rebuild_spawning',
} as const;

/** The task_states of a rebuild, in order (Nova's REBUILDING → REBUILD_BLOCK_DEVICE_MAPPING → REBUILD_SPAWNING). */
export const REBUILD_TASKS: string[] = [TASK.REBUILDING, TASK.REBUILD_BLOCK_DEVICE_MAPPING, TASK.REBUILD_SPAWNING];
const REBUILD_STATUS = Object.fromEntries(REBUILD_TASKS.map((t) => [t, 'REBUILD']));

const STATE_MAP: Record<string, Record<string, string>> = {
  active: {
    default: 'ACTIVE',
    rebooting: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    ...REBUILD_STATUS,
  },
  building: { default: 'BUILD' },
  stopped: { default: 'SHUTOFF', ...REBUILD_STATUS },
  paused: { default: 'PAUSED' },
  suspended: { default: 'SUSPENDED' },
  error: { default: 'ERROR', ...REBUILD_STATUS },
  deleted: { default: 'DELETED' },
};

export function statusOf(vmState: string, taskState: string | null): string {
  const m = STATE_MAP[vmState];
  if (!m) return 'UNKNOWN';
  return (taskState && m[taskState]) || m.default;
}

/** The vm_states a status filter (?status=X) selects. */
export function vmStatesForStatus(status: string): string[] {
  const s = status.toUpperCase();
  return Object.entries(STATE_MAP)
    .filter(([, m]) => Object.values(m).includes(s))
    .map(([vm]) => vm);
}

/** The task_states a status filter selects, or null when it takes any (Nova's task_and_vm_state_from_status: a status some vm_state shows by default). */
export function taskStatesForStatus(status: string): string[] | null {
  const s = status.toUpperCase();
  const tasks = Object.values(STATE_MAP).flatMap((m) => Object.entries(m).filter(([, v]) => v === s).map(([task]) => task));
  return tasks.includes('default') ? null : [...new Set(tasks)];
}

const ALLOW_SOFT_REBOOT = [VM.ACTIVE];
const ALLOW_HARD_REBOOT = [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED, VM.ERROR];
const REBOOT_TASKS = [TASK.REBOOTING, TASK.REBOOT_STARTED, TASK.REBOOTING_HARD, TASK.REBOOT_STARTED_HARD];

/** The allowed vm_states / task_states of each action, as nova/compute/api.py's check_instance_state decorators. */
const RULES: Record<string, { vm: string[]; task: Array<string | null> }> = {
  start: { vm: [VM.STOPPED], task: [null] },
  stop: { vm: [VM.ACTIVE, VM.PAUSED, VM.SUSPENDED, VM.ERROR], task: [null] },
  // Nova's _soft_reboot takes only an idle server; a HARD reboot may interrupt a soft one (never another hard one).
  reboot_soft: { vm: ALLOW_SOFT_REBOOT, task: [null] },
  reboot_hard: { vm: ALLOW_HARD_REBOOT, task: [null, TASK.REBOOTING, TASK.REBOOT_STARTED] },
  rebuild: { vm: [VM.ACTIVE, VM.STOPPED, VM.ERROR], task: [null] },
  get_console_output: { vm: [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED, VM.ERROR], task: [null, ...REBOOT_TASKS, TASK.POWERING_OFF, TASK.POWERING_ON] },
};

/** Throws Nova's 409 "Cannot 'stop' instance X while it is in vm_state stopped" when the action is not allowed now. */
export function checkInstanceState(action: keyof typeof RULES, apiAction: string, id: string, vmState: string, taskState: string | null): void {
  const rule = RULES[action];
  if (!rule.vm.includes(vmState)) throw invalidState(apiAction, id, 'vm_state', vmState);
  if (!rule.task.includes(taskState)) throw invalidState(apiAction, id, 'task_state', String(taskState));
}

export const invalidState = (action: string, id: string, attr: string, state: string) =>
  conflict(`Cannot '${action}' instance ${id} while it is in ${attr} ${state}`, { instanceId: id, attr, state });
