export { FakeRack, type FakeRackOptions } from './fake-rack';
export { FakeHostDriver, type RackAccess } from './fake-driver';
export { FakeRescheduleDriver, FakeBuildAbortDriver } from './failure-drivers';
export type { FaultSpec, FakeOp } from './faults';
export type { FakeHostCapacity, FakeInstance } from './fake-state';
export { FAKE_TIMINGS_MS } from './timings';
