import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../main/core/context';
import { openDatabase } from '../../main/core/db';
import { DeskError } from '../../main/core/errors';
import { EventBus, type DeskEvent } from '../../main/core/events';
import { NetworkService } from '../../main/network/network-service';

const ctxFor = (projectId: string, isAdmin = false): RequestContext => ({
  userId: `u-${projectId}`,
  userName: `user-${projectId}`,
  domainId: 'default',
  projectId,
  projectName: projectId,
  roles: isAdmin ? ['admin'] : ['member'],
  isAdmin,
  requestId: 'req-test',
});
const A = ctxFor('proj-a');
const B = ctxFor('proj-b');
const ADMIN = ctxFor('proj-admin', true);

function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-network-'));
  const db = openDatabase(join(dir, 'deskstack.db'));
  const bus = new EventBus();
  const events: DeskEvent[] = [];
  bus.subscribe((e) => events.push(e));
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, bus, events, networks: new NetworkService(db, bus) };
}

function throwsCode(fn: () => unknown, code: string): DeskError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DeskError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

test('create returns a Neutron-shaped network and emits an event', (t) => {
  const s = setup(t);
  const n = s.networks.create(A, { name: 'mine', projectId: 'proj-a', cidr: '10.0.0.0/24' });
  assert.equal(n.status, 'ACTIVE');
  assert.equal(n.admin_state_up, true);
  assert.equal(n.shared, false);
  assert.equal(n['router:external'], false);
  assert.equal(n.project_id, 'proj-a');
  assert.equal(n.tenant_id, 'proj-a');
  assert.equal(n.mtu, 1500);
  assert.deepEqual(n.subnets, []);
  assert.equal(n.cidr, '10.0.0.0/24');
  assert.deepEqual(s.events.at(-1), { type: 'resource', kind: 'network', id: n.id, projectId: 'proj-a', action: 'created' });
});

test('visibility: own, shared and external networks; admin sees all; others are NotFound', (t) => {
  const s = setup(t);
  const own = s.networks.create(A, { name: 'a-net', projectId: 'proj-a' });
  const shared = s.networks.create(ADMIN, { name: 'private', projectId: 'proj-admin', shared: true });
  const ext = s.networks.create(null, { name: 'public', projectId: 'proj-admin', external: true });
  const adminOnly = s.networks.create(ADMIN, { name: 'admin-net', projectId: 'proj-admin' });
  const names = (ctx: RequestContext, f = {}) => s.networks.list(ctx, f).networks.map((n) => n.name).sort();
  assert.deepEqual(names(A), ['a-net', 'private', 'public']);
  assert.deepEqual(names(B), ['private', 'public']);
  assert.deepEqual(names(ADMIN), ['a-net', 'admin-net', 'private', 'public']);
  assert.deepEqual(names(B, { shared: true }), ['private']);
  assert.deepEqual(names(B, { external: true }), ['public']);
  assert.deepEqual(names(ADMIN, { projectId: ['proj-a'] }), ['a-net']);
  assert.deepEqual(names(A, { name: ['private', 'a-net'] }), ['a-net', 'private']);
  assert.equal(s.networks.get(B, shared.id).id, shared.id);
  assert.equal(s.networks.get(B, ext.id).id, ext.id);
  const e = throwsCode(() => s.networks.get(B, own.id), 'NotFound');
  assert.equal(e.message, `Network ${own.id} could not be found.`);
  assert.equal(e.details?.type, 'NetworkNotFound');
  throwsCode(() => s.networks.get(A, adminOnly.id), 'NotFound');
});

test('resolveForBoot finds a visible network by id or name, else NotFound; duplicates need the id', (t) => {
  const s = setup(t);
  const priv = s.networks.seedNetwork({ name: 'private', projectId: 'proj-admin', shared: true, cidr: '192.168.122.0/24' });
  const hidden = s.networks.create(A, { name: 'a-only', projectId: 'proj-a' });
  assert.deepEqual(s.networks.resolveForBoot(B, 'private'), { id: priv.id, name: 'private', hostNetwork: 'default' });
  assert.deepEqual(s.networks.resolveForBoot(B, priv.id), { id: priv.id, name: 'private', hostNetwork: 'default' });
  throwsCode(() => s.networks.resolveForBoot(B, 'a-only'), 'NotFound');
  throwsCode(() => s.networks.resolveForBoot(B, hidden.id), 'NotFound');
  throwsCode(() => s.networks.resolveForBoot(B, 'nope'), 'NotFound');
  s.networks.create(B, { name: 'dup', projectId: 'proj-b' });
  s.networks.create(B, { name: 'dup', projectId: 'proj-b' });
  throwsCode(() => s.networks.resolveForBoot(B, 'dup'), 'Conflict');
});

test('seedNetwork is idempotent by name', (t) => {
  const s = setup(t);
  const one = s.networks.seedNetwork({ name: 'private', projectId: 'p', shared: true, cidr: '192.168.122.0/24' });
  const two = s.networks.seedNetwork({ name: 'private', projectId: 'p', shared: true, cidr: '192.168.122.0/24' });
  assert.equal(one.id, two.id);
  assert.equal(s.networks.list(ADMIN).networks.length, 1);
});

test('policy and validation: shared/external and other projects need admin; bad names and CIDRs are refused', (t) => {
  const s = setup(t);
  throwsCode(() => s.networks.create(A, { name: 'x', projectId: 'proj-a', shared: true }), 'Forbidden');
  throwsCode(() => s.networks.create(A, { name: 'x', projectId: 'proj-b' }), 'Forbidden');
  throwsCode(() => s.networks.create(A, { name: 'n'.repeat(10_000), projectId: 'proj-a' }), 'BadRequest');
  for (const cidr of ['10.0.0.0/33', '300.1.1.1/24', '$(touch /tmp/x)', '10.0.0.0']) throwsCode(() => s.networks.create(A, { name: 'x', projectId: 'proj-a', cidr }), 'BadRequest');
});

test('list pages by id with limit and marker', (t) => {
  const s = setup(t);
  for (let i = 0; i < 5; i++) s.networks.create(A, { name: `n${i}`, projectId: 'proj-a' });
  const all = s.networks.list(A).networks.map((n) => n.id);
  assert.deepEqual(all, [...all].sort());
  const p1 = s.networks.list(A, { limit: 2 });
  const p2 = s.networks.list(A, { limit: 2, marker: p1.nextMarker });
  const p3 = s.networks.list(A, { limit: 2, marker: p2.nextMarker });
  assert.deepEqual([...p1.networks, ...p2.networks, ...p3.networks].map((n) => n.id), all);
  assert.equal(p3.nextMarker, undefined);
});
