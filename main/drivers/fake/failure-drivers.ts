// Failure-injecting hosts as small subclasses, after Nova's FakeRescheduleDriver and
// FakeBuildAbortDriver: a whole host that misbehaves, for reschedule and error-path tests.
import { DeskError } from '../../core/errors';
import type { InstanceSpec, OpContext } from '../types';
import { FakeHostDriver } from './fake-driver';

/** The first spawn of each instance fails after doing half its work; a second try succeeds. */
export class FakeRescheduleDriver extends FakeHostDriver {
  private readonly tried = new Set<string>();

  override async spawn(spec: InstanceSpec, op: OpContext): Promise<void> {
    if (!this.tried.has(spec.id)) {
      this.tried.add(spec.id);
      throw new DeskError('Internal', `Host ${this.hostName} could not start ${spec.id} (simulated transient failure); try another host.`, { reschedule: true });
    }
    return super.spawn(spec, op);
  }
}

/** Every spawn fails for good, as when the host's storage is broken. */
export class FakeBuildAbortDriver extends FakeHostDriver {
  override async spawn(spec: InstanceSpec, _op: OpContext): Promise<void> {
    throw new DeskError('Internal', `Host ${this.hostName} cannot build ${spec.id}: its instance storage is read-only (simulated); repair the host or disable it.`);
  }
}
