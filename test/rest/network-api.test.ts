import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { memberOf, startTestServer, type TestServer } from '../helpers/test-server';

let srv: TestServer;
let admin: string;
let member: { token: string; projectId: string };

before(async () => {
  srv = await startTestServer();
  admin = await srv.token();
  member = await memberOf(srv, 'net-proj');
});
after(async () => srv?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
async function get(path: string, token: string | null = admin): Promise<{ status: number; body: any }> {
  const res = await fetch(`${srv.url}${path}`, { headers: token ? { 'x-auth-token': token } : {} });
  return { status: res.status, body: await res.json() };
}

const NEUTRON_FIELDS = ['admin_state_up', 'availability_zone_hints', 'availability_zones', 'created_at', 'description', 'id', 'ipv4_address_scope', 'ipv6_address_scope', 'is_default', 'l2_adjacency', 'mtu', 'name', 'port_security_enabled', 'project_id', 'revision_number', 'router:external', 'shared', 'status', 'subnets', 'tags', 'tenant_id', 'updated_at'];

test('version document and resource index', async () => {
  const v = await get('/network/', null);
  assert.equal(v.status, 200);
  assert.deepEqual(v.body, { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${srv.url}/network/v2.0/`, rel: 'self' }] }] });
  const idx = await get('/network/v2.0/');
  assert.equal(idx.status, 200);
  assert.ok(idx.body.resources.some((r: { collection: string; name: string }) => r.collection === 'networks' && r.name === 'network'));
  assert.equal((await get('/network/v2.0/networks', null)).status, 401);
});

test('the demo network is listed with Neutron fields; provider attributes only for admins', async () => {
  const asMember = await get('/network/v2.0/networks', member.token);
  assert.equal(asMember.status, 200);
  const priv = asMember.body.networks.find((n: { name: string }) => n.name === 'private');
  assert.ok(priv, 'the shared demo network is visible to every project');
  assert.deepEqual(Object.keys(priv).sort(), NEUTRON_FIELDS);
  assert.equal(priv.shared, true);
  assert.equal(priv.status, 'ACTIVE');
  assert.equal(priv.project_id, priv.tenant_id);
  assert.equal(priv.cidr, undefined);
  const asAdmin = await get(`/network/v2.0/networks/${priv.id}`);
  assert.equal(asAdmin.body.network['provider:network_type'], 'local');
});

test('filters, fields and pagination links', async () => {
  const ctx = srv.cp.identity.loginLocalAdmin();
  const adminOnly = srv.cp.networks.create(ctx, { name: 'admin-only', projectId: ctx.projectId });
  srv.cp.networks.create(ctx, { name: 'ext-net', projectId: ctx.projectId, external: true });
  const mine = srv.cp.networks.create(null, { name: 'member-net', projectId: member.projectId });

  const names = async (q: string, token = admin) => (await get(`/network/v2.0/networks${q}`, token)).body.networks.map((n: { name: string }) => n.name).sort();
  assert.deepEqual(await names('', member.token), ['ext-net', 'member-net', 'private']);
  assert.deepEqual(await names('?name=private'), ['private']);
  assert.deepEqual(await names('?shared=true'), ['private']);
  assert.deepEqual(await names('?router:external=True'), ['ext-net']);
  assert.deepEqual(await names(`?project_id=${member.projectId}`), ['member-net']);
  assert.deepEqual(await names(`?tenant_id=${member.projectId}`), ['member-net']);
  assert.deepEqual(await names('?name=private&name=admin-only'), ['admin-only', 'private']);
  assert.deepEqual(await names('?status=DOWN'), []);
  assert.deepEqual(await names('?tags=x'), []);

  const fields = await get('/network/v2.0/networks?fields=id&fields=name&name=private');
  assert.deepEqual(Object.keys(fields.body.networks[0]).sort(), ['id', 'name']);
  const one = await get(`/network/v2.0/networks/${mine.id}?fields=name`, member.token);
  assert.deepEqual(one.body, { network: { name: 'member-net' } });

  const page1 = await get('/network/v2.0/networks?limit=2');
  assert.equal(page1.body.networks.length, 2);
  const next = page1.body.networks_links.find((l: { rel: string }) => l.rel === 'next').href as string;
  assert.ok(next.startsWith(`${srv.url}/network/v2.0/networks?`));
  const page2 = await get(new URL(next).pathname + new URL(next).search);
  const all = [...page1.body.networks, ...page2.body.networks].map((n: { id: string }) => n.id);
  assert.equal(new Set(all).size, 4);

  const hidden = await get(`/network/v2.0/networks/${adminOnly.id}`, member.token);
  assert.equal(hidden.status, 404);
  assert.deepEqual(hidden.body, { NeutronError: { type: 'NetworkNotFound', message: `Network ${adminOnly.id} could not be found.`, detail: '' } });
});

test('bad input gets Neutron error bodies', async () => {
  const unknown = await get('/network/v2.0/networks?colour=red');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.NeutronError.message, '[colour] is invalid attribute for filtering');
  const badBool = await get('/network/v2.0/networks?shared=maybe');
  assert.equal(badBool.status, 400);
  assert.equal(typeof badBool.body.NeutronError.type, 'string');
  for (const id of ['$(touch /tmp/x)', "a'b\"c", '..%2F..%2Fetc', 'x'.repeat(10_000)]) {
    const res = await get(`/network/v2.0/networks/${encodeURIComponent(id)}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.NeutronError.type, 'NetworkNotFound');
  }
});

test('subnets, ports, security groups, floating IPs and extensions answer valid lists', async () => {
  for (const [path, key] of [['subnets', 'subnets'], ['ports', 'ports'], ['security-groups', 'security_groups'], ['floatingips', 'floatingips'], ['routers', 'routers']]) {
    const res = await get(`/network/v2.0/${path}?network_id=abc`);
    assert.equal(res.status, 200, path);
    assert.deepEqual(res.body, { [key]: [] });
  }
  const port = await get('/network/v2.0/ports/abc');
  assert.deepEqual(port.body, { NeutronError: { type: 'PortNotFound', message: 'Port abc could not be found.', detail: '' } });
  const ext = await get('/network/v2.0/extensions');
  assert.ok(ext.body.extensions.some((e: { alias: string }) => e.alias === 'external-net'));
  assert.equal((await get('/network/v2.0/extensions/external-net')).body.extension.alias, 'external-net');
  assert.equal((await get('/network/v2.0/extensions/nope')).status, 404);
});
