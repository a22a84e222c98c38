// Failure injection for tests and demos: "the next N spawns on demo-2 fail".
import { DeskError } from '../../core/errors';

export type FakeOp = 'spawn' | 'rebuild' | 'destroy' | 'powerOn' | 'powerOff' | 'reboot' | 'ping';

export interface FaultSpec {
  op: FakeOp;
  /** Only this host; every host when absent. */
  host?: string;
  /** How many calls fail before the fault clears itself; 1 when absent, Infinity for "until cleared". */
  times?: number;
  message?: string;
}

interface ActiveFault {
  op: FakeOp;
  host?: string;
  remaining: number;
  message?: string;
}

export class FaultTable {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new DeskError('BadRequest', `Fault times must be a positive number (got ${times}); use clearFaults() to remove faults.`);
    this.faults.push({ op: spec.op, host: spec.host, remaining: times, message: spec.message });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes one matching fault and returns the error to throw, or null when the call may succeed. */
  take(op: FakeOp, host: string): DeskError | null {
    const f = this.faults.find((x) => x.op === op && (x.host === undefined || x.host === host));
    if (!f) return null;
    f.remaining -= 1;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return new DeskError('Internal', f.message ?? `Fake host ${host}: injected ${op} failure (demo rack failure injection).`, { injected: true, op, host });
  }
}
