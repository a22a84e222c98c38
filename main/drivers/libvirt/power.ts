// Power operations: ACPI shutdown with a deadline then hard power-off, start, soft and hard reboot.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpContext, PowerState } from '../types';
import type { Virsh } from './virsh';

const POLL_MS = 500;
/** How often the ACPI request is repeated: a guest still booting has not armed its power button yet. */
const RESEND_MS = 3_000;

/** Hard power-off; a domain that is already off is fine. */
export async function hardOff(virsh: Virsh, id: string, op: OpContext): Promise<void> {
  const r = await virsh.run(['destroy', id], op);
  if (r.code === 0) return;
  if ((await virsh.domState(id, op)) === 'shutdown') return;
  throw virsh.failed(['destroy', id], r);
}

/** Asks the guest to shut down (ACPI) until it does or the time is up; true when it did. */
export async function gracefulOff(virsh: Virsh, id: string, timeoutSeconds: number, op: OpContext): Promise<boolean> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let lastRequest = 0;
  for (;;) {
    if ((await virsh.domState(id, op)) === 'shutdown') return true;
    if (Date.now() >= deadline) return false;
    if (Date.now() - lastRequest >= RESEND_MS) {
      lastRequest = Date.now();
      await virsh.run(['shutdown', id], op); // refusals (e.g. already going down) show in the next state poll
    }
    // an abort rejects with the operation's own reason, as every other step of it does
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal: op.signal }).catch((err: unknown) => {
      throw op.signal.aborted ? op.signal.reason : err;
    });
  }
}

export async function powerOff(virsh: Virsh, id: string, timeoutSeconds: number, op: OpContext): Promise<void> {
  const state: PowerState = await virsh.domState(id, op);
  if (state === 'shutdown') return;
  if (timeoutSeconds > 0 && state === 'running') {
    if (await gracefulOff(virsh, id, timeoutSeconds, op)) return;
    op.log?.(`instance ${id} ignored the shutdown request for ${timeoutSeconds} s; powering it off`);
  }
  await hardOff(virsh, id, op);
}

export async function powerOn(virsh: Virsh, id: string, op: OpContext): Promise<void> {
  if ((await virsh.domState(id, op)) === 'running') return;
  const r = await virsh.run(['start', id], op);
  if (r.code !== 0 && !/already active/i.test(r.stderr)) throw virsh.failed(['start', id], r);
}

export async function reboot(virsh: Virsh, id: string, kind: 'SOFT' | 'HARD', softTimeoutSeconds: number, op: OpContext): Promise<void> {
  const state = await virsh.domState(id, op);
  if (state !== 'running') return powerOn(virsh, id, op);
  if (kind === 'HARD') {
    await virsh.checked(['reset', id], id, op);
    return;
  }
  // Like Nova: a clean ACPI shutdown and a fresh start, falling back to hard after the timeout.
  if (!(await gracefulOff(virsh, id, softTimeoutSeconds, op))) {
    op.log?.(`instance ${id} ignored the reboot request for ${softTimeoutSeconds} s; rebooting it hard`);
    await hardOff(virsh, id, op);
  }
  await powerOn(virsh, id, op);
}
