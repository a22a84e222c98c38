// Multiple create: counts are checked in Nova's words, a request is bounded, and a big one writes its
// rows in chunks while the control plane keeps answering everyone else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { memberOf, startTestServer, type TestServer } from '../helpers/test-server';
import { demoIds, nova, type NovaClient } from './compute-helpers';

let t: TestServer;
let c: NovaClient;
let projectId: string;
let base: Record<string, unknown>;

before(async () => {
  t = await startTestServer();
  const m = await memberOf(t, 'bulk');
  projectId = m.projectId;
  c = nova(t, m.token);
  const ids = demoIds(t);
  base = { name: 'bulk', imageRef: ids.imageId, flavorRef: '1', networks: [{ uuid: ids.networkId }] };
});
after(async () => t?.close());

test('min_count and max_count errors are worded as Nova words them; a huge count is refused at once', async () => {
  const admin = t.cp.identity.loginLocalAdmin();
  t.cp.compute.quotas.update(projectId, { instances: -1, cores: -1, ram: -1 });
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ min_count: 100000 }, 'Invalid input for field/attribute min_count. Value: 100000. 100000 is greater than the maximum of 1000'],
    [{ max_count: 2147483647 }, 'Invalid input for field/attribute max_count. Value: 2147483647. 2147483647 is greater than the maximum of 1000'],
    [{ max_count: '20000' }, 'Invalid input for field/attribute max_count. Value: 20000. 20000 is greater than the maximum of 1000'],
    [{ min_count: 0 }, 'Invalid input for field/attribute min_count. Value: 0. 0 is less than the minimum of 1'],
    [{ min_count: '0' }, 'Invalid input for field/attribute min_count. Value: 0. 0 is less than the minimum of 1'],
    [{ min_count: 2.5 }, "Invalid input for field/attribute min_count. Value: 2.5. 2.5 is not of type 'integer', 'string'"],
    [{ max_count: 'two' }, "Invalid input for field/attribute max_count. Value: two. 'two' does not match '^[0-9]*$'"],
    [{ min_count: 3, max_count: 2 }, 'min_count must be <= max_count'],
  ];
  for (const [extra, message] of cases) {
    const r = await c.call('POST', '/servers', { server: { ...base, ...extra } });
    assert.equal(r.status, 400, JSON.stringify(extra));
    assert.equal(r.body.badRequest.message, message);
  }
  assert.equal(t.cp.compute.listServers(admin, { allTenants: true, projectId }).length, 0);
});

test('a 1000-server request leaves the control plane answering other requests while its rows are written', async () => {
  const admin = t.cp.identity.loginLocalAdmin();
  t.cp.compute.quotas.update(projectId, { instances: -1, cores: -1, ram: -1 });
  let done = false;
  const create = c.call('POST', '/servers', { server: { ...base, min_count: 1, max_count: 1000, return_reservation_id: true } }).finally(() => (done = true));
  // Wait until the create has written its first chunk, then ask for something else.
  while (t.cp.compute.listServers(admin, { allTenants: true, projectId, limit: 1 }).length === 0) await new Promise((r) => setImmediate(r));
  let answeredMeanwhile = 0;
  while (!done) {
    const r = await c.call('GET', '/flavors');
    assert.equal(r.status, 200);
    if (!done) answeredMeanwhile++;
  }
  const res = await create;
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.ok(answeredMeanwhile > 0, 'no other request was answered while the create was writing its rows');
  const rows = t.cp.db.prepare('SELECT COUNT(*) FROM servers WHERE reservation_id = ?').pluck().get(res.body.reservation_id);
  assert.equal(rows, 1000);
  assert.equal(t.cp.compute.quotas.usage(projectId).instances, 1000);
  for (const s of t.cp.compute.listServers(admin, { allTenants: true, projectId })) await t.cp.compute.settled(s.id);
});
