// Removing hosts through the contract: refused while servers run there, forced removal puts them in
// ERROR (nothing vanishes silently), and soft-deleted servers no longer pin the host row.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { dispatch } from '../../main/api/rpc/dispatch';
import { DeskError } from '../../main/core/errors';
import { bootAndSettle, computeFixture, type ComputeFixture } from './compute-helpers';

const isCode = (code: string) => (e: unknown) => e instanceof DeskError && e.code === code;

describe('host remove', () => {
  let f: ComputeFixture;
  beforeEach(async () => {
    f = await computeFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('refuses while servers run there, and forced puts them in ERROR with a fault', async () => {
    const server = await bootAndSettle(f, f.admin, 'victim');
    const hostId = f.cp.hosts.findByName(server.hostName!)!.id;
    await assert.rejects(dispatch(f.cp, f.admin, 'hostRemove', { id: hostId }), (e: unknown) => {
      assert.ok(isCode('Conflict')(e));
      assert.match((e as Error).message, /still has 1 server\(s\) on it \(victim\).*force/);
      return true;
    });
    assert.deepEqual(await dispatch(f.cp, f.admin, 'hostRemove', { id: hostId, force: true }), { ok: true });
    assert.throws(() => f.cp.hosts.get(hostId), isCode('NotFound'));
    const after = f.cp.compute.getServer(f.admin, server.id);
    assert.equal(after.status, 'ERROR');
    assert.equal(after.hostId, null);
    assert.match(after.fault!.message, new RegExp(`Host ${server.hostName} was removed`));
    // The server can still be deleted afterwards.
    f.cp.compute.deleteServer(f.admin, server.id);
    await f.cp.compute.settled(server.id);
    assert.throws(() => f.cp.compute.getServer(f.admin, server.id), isCode('NotFound'));
  });

  it('a host whose servers were all deleted can be removed without force', async () => {
    const server = await bootAndSettle(f, f.admin, 'gone-soon');
    const hostId = f.cp.hosts.findByName(server.hostName!)!.id;
    f.cp.compute.deleteServer(f.admin, server.id);
    await f.cp.compute.settled(server.id);
    assert.deepEqual(await dispatch(f.cp, f.admin, 'hostRemove', { id: hostId }), { ok: true });
    assert.equal(f.cp.hosts.list().some((h) => h.id === hostId), false);
  });

  it('adds "This computer" without SSH and runs its read-only preflight', async () => {
    const r = (await dispatch(f.cp, f.admin, 'hostAdd', { address: 'local' })) as { host: { id: string; driver: string; provisionState: string }; preflightTaskId: string };
    assert.equal(r.host.driver, 'libvirt');
    const end = Date.now() + 60_000;
    while (['queued', 'running'].includes(f.cp.tasks.get(r.preflightTaskId).state) && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    const detail = (await dispatch(f.cp, f.admin, 'hostGet', { id: r.host.id })) as { address: string; preflight: { target: string; checks: Array<{ id: string }> } };
    assert.equal(detail.address, 'local');
    assert.equal(detail.preflight.target, 'this computer');
    assert.deepEqual(detail.preflight.checks.map((c) => c.id), ['os', 'privileges', 'cpu-virt', 'kvm', 'memory', 'disk', 'libvirt', 'packages', 'commands']);
    await assert.rejects(dispatch(f.cp, f.admin, 'hostAdd', { address: 'local' }), isCode('Conflict'));
  });

  it('maintenance and details through the contract; only admins may call host methods', async () => {
    const host = f.cp.hosts.list()[0];
    const m = (await dispatch(f.cp, f.admin, 'hostMaintenance', { id: host.id, enabled: false, reason: 'fan' })) as { enabled: boolean; disabledReason: string };
    assert.deepEqual([m.enabled, m.disabledReason], [false, 'fan']);
    const detail = (await dispatch(f.cp, f.admin, 'hostGet', { id: host.id })) as { preflight: unknown; provisionSteps: unknown[]; hostKeyFingerprint: string | null };
    assert.deepEqual([detail.preflight, detail.provisionSteps, detail.hostKeyFingerprint], [null, [], null]);
    await assert.rejects(dispatch(f.cp, f.admin, 'hostProvision', { id: host.id }), isCode('BadRequest'));
    const member = { ...f.admin, isAdmin: false, roles: ['member'] };
    await assert.rejects(dispatch(f.cp, member, 'hostAdd', { address: '10.0.0.5' }), isCode('Forbidden'));
    await assert.rejects(dispatch(f.cp, f.admin, 'hostAdd', { address: '10.0.0.5', bogus: 1 }), isCode('BadRequest'));
    await assert.rejects(dispatch(f.cp, f.admin, 'hostAdd', { address: '$(touch /tmp/x)', auth: { password: 'x' }, hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` }), isCode('BadRequest'));
    await assert.rejects(dispatch(f.cp, f.admin, 'hostAdd', { address: '10.0.0.5', auth: { password: 'x' }, hostKeyFingerprint: 'nope' }), isCode('BadRequest'));
    await assert.rejects(dispatch(f.cp, f.admin, 'hostAdd', { address: '10.0.0.5', auth: { password: 'x' } }), isCode('BadRequest'));
  });
});
