// The Tasks panel's Cancel on a build that runs on a real host (test rack: sshd + libvirtd): the
// libvirt driver unwinds its half-made domain, and the server ends in ERROR holding nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ApiClient } from '../helpers/api-client';
import { ADMIN_PASSWORD, startTestServer } from '../helpers/test-server';
import { rackUnavailableReason } from '../rack/available';
import { buildGuestImage } from '../rack/guest-image';
import { startRack } from '../rack/rack';

const skip = rackUnavailableReason({ guestImage: true });

test('a build cancelled on a rack host ends in ERROR with no domain, disk or claim left', { skip, timeout: 900_000 }, async () => {
  const [rack, guest] = await Promise.all([startRack({ hosts: 1 }), buildGuestImage()]);
  const srv = await startTestServer({ demo: false });
  try {
    const api = await ApiClient.login(srv.url, ADMIN_PASSWORD);
    const h = rack.hosts[0];
    const added = await api.rpc('hostAdd', { address: h.ip, auth: { password: h.password }, hostKeyFingerprint: h.hostKeyFingerprint });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal((await api.waitTask(added.body.preflightTaskId)).state, 'succeeded');
    const provision = await api.rpc('hostProvision', { id: added.body.host.id });
    const provisioned = await api.waitTask(provision.body.id);
    assert.equal(provisioned.state, 'succeeded', JSON.stringify(provisioned.error));
    const imageId = await api.uploadImage('rack-guest', readFileSync(guest.path));

    const admin = srv.cp.identity.loginLocalAdmin();
    const net = srv.cp.networks.list(admin, {}).networks.find((n) => !n['router:external'])!;
    // Cancel the moment the build starts spawning, as a user watching the Tasks panel would.
    let taskId = '';
    const cancelled = new Promise<void>((resolve) => {
      const off = srv.cp.bus.subscribe((e) => {
        if (e.type !== 'task' || e.task.kind !== 'server.build' || e.task.step !== 'spawning' || e.task.state !== 'running') return;
        off();
        taskId = e.task.id;
        assert.equal(e.task.cancellable, true);
        void api.rpc('taskCancel', { id: e.task.id }).then((r) => {
          assert.equal(r.status, 200, JSON.stringify(r.body));
          resolve();
        });
      });
    });
    const res = await srv.cp.compute.createServers(admin, { name: 'cancel-on-rack', imageRef: imageId, flavorRef: '1', networks: [{ uuid: net.id }] });
    const id = res.servers[0].id;
    await cancelled;
    await srv.cp.compute.settled(id);

    const s = srv.cp.compute.getServer(admin, id);
    assert.equal(s.status, 'ERROR');
    assert.match(s.fault!.message, /cancelled by the user/);
    assert.equal(srv.cp.tasks.get(taskId).state, 'cancelled');
    assert.equal(srv.cp.scheduler.allocationFor(id), undefined);
    assert.deepEqual(s.addresses, []);
    const domains = (await h.exec(['virsh', '-c', 'qemu:///system', 'list', '--all', '--name'])).stdout;
    assert.ok(!domains.includes(id), `no domain is left: ${domains}`);
    const dir = await h.exec(['test', '-e', `/var/lib/deskstack/instances/${id}`]);
    assert.notEqual(dir.code, 0, 'the instance folder is gone');
    srv.cp.compute.deleteServer(admin, id);
    await srv.cp.compute.settled(id);
  } finally {
    await srv.close();
    await rack.stop();
  }
});
