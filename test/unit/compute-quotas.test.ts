import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeskError } from '../../main/core/errors';
import { computeFixture } from './compute-helpers';

test('the instances quota stops the 11th server with Nova’s message, and counts are exact under a burst', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const make = () => cp.compute.createServers(admin, { name: 'q', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] });
    const outcomes = await Promise.allSettled(Array.from({ length: 15 }, async () => make()));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(ok.length, 10);
    assert.equal(refused.length, 5);
    for (const r of refused) {
      assert.ok(r.reason instanceof DeskError);
      assert.equal(r.reason.code, 'OverQuota');
      assert.equal(r.reason.message, 'Quota exceeded for instances: Requested 1, but already used 10 of 10 instances');
    }
    assert.equal(cp.compute.quotas.usage(admin.projectId).instances, 10);
  } finally {
    await f.close();
  }
});

test('cores quota names the resource; max_count shrinks to what fits, min_count above it is refused', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    // m1.large has 4 vCPUs: 5 fit the default 20 cores.
    const res = await cp.compute.createServers(admin, { name: 'l', imageRef: f.imageId, flavorRef: '4', minCount: 1, maxCount: 8, networks: [{ uuid: f.networkId }] });
    assert.equal(res.servers.length, 5);
    await assert.rejects(
      async () => cp.compute.createServers(admin, { name: 'l', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] }),
      (e: unknown) => e instanceof DeskError && e.message === 'Quota exceeded for cores: Requested 1, but already used 20 of 20 cores',
    );
    cp.compute.quotas.update(admin.projectId, { cores: 100, instances: 6 });
    await assert.rejects(
      async () => cp.compute.createServers(admin, { name: 'l', imageRef: f.imageId, flavorRef: '1', minCount: 2, maxCount: 2, networks: [{ uuid: f.networkId }] }),
      (e: unknown) => e instanceof DeskError && e.message === 'Quota exceeded for instances: Requested 2, but already used 5 of 6 instances',
    );
    assert.deepEqual(cp.compute.quotas.limits(admin.projectId), { instances: 6, cores: 100, ram: 51200, key_pairs: 100, metadata_items: 128, server_groups: 10, server_group_members: 10 });
    cp.compute.quotas.reset(admin.projectId);
    assert.equal(cp.compute.quotas.limit(admin.projectId, 'cores'), 20);
  } finally {
    await f.close();
  }
});

test('create validation: image min_disk/min_ram, bad key, bad user_data, too much metadata, unknown flavor', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const base = { name: 'v', imageRef: f.imageId, flavorRef: '1', networks: [{ uuid: f.networkId }] };
    const bad = (input: Record<string, unknown>, message: string | RegExp, code = 'BadRequest') =>
      assert.rejects(
        async () => cp.compute.createServers(admin, { ...base, ...input }),
        (e: unknown) => e instanceof DeskError && e.code === code && (typeof message === 'string' ? e.message === message : message.test(e.message)),
      );
    await bad({ flavorRef: '99' }, 'Invalid flavorRef provided.');
    await bad({ imageRef: '00000000-0000-0000-0000-000000000000' }, 'Can not find requested image');
    await bad({ keyName: 'nope' }, 'Invalid key_name provided.');
    await bad({ userData: 'not base64!' }, 'User data needs to be valid base 64.');
    await bad({ userData: Buffer.alloc(70000).toString('base64') }, /User data too large/);
    await bad({ metadata: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v'])) }, 'Maximum number of metadata items exceeds 128', 'OverQuota');
    await bad({ minCount: 3, maxCount: 2 }, 'min_count must be <= max_count');
    await bad({ availabilityZone: 'mars' }, 'The requested availability zone is not available');
    await bad({ networks: [{ uuid: '00000000-0000-0000-0000-000000000000' }] }, 'Network 00000000-0000-0000-0000-000000000000 could not be found.');

    // Nova checks memory before disk.
    cp.db.prepare('UPDATE images SET min_ram = 4096 WHERE id = ?').run(f.imageId);
    await bad({}, "Flavor's memory is too small for requested image.");
    cp.db.prepare('UPDATE images SET min_disk = 15, min_ram = 0 WHERE id = ?').run(f.imageId);
    await bad({}, `Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is ${1024 ** 3} bytes, minimum size is ${15 * 1024 ** 3} bytes.`);
    cp.db.prepare('UPDATE images SET min_ram = 4096 WHERE id = ?').run(f.imageId);
    await bad({ flavorRef: '2' }, "Flavor's memory is too small for requested image.");
    const ok = await cp.compute.createServers(admin, { ...base, flavorRef: '3' });
    assert.equal(ok.servers.length, 1);
  } finally {
    await f.close();
  }
});

test('key pairs: generate returns the private key once, import fingerprints like Nova, quota and duplicates', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const gen = await cp.compute.keypairs.create({ name: 'gen', userId: admin.userId, projectId: admin.projectId });
    assert.match(gen.privateKey!, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.match(gen.publicKey, /^ssh-rsa AAAA[A-Za-z0-9+/=]+ Generated-by-Nova$/);
    assert.match(gen.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    assert.equal(cp.compute.keypairs.get(admin.userId, 'gen').privateKey, undefined);

    // An ed25519 key whose MD5 fingerprint is computed over its base64 blob.
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
    const imported = await cp.compute.keypairs.create({ name: 'imp', userId: admin.userId, projectId: admin.projectId, publicKey: `ssh-ed25519 ${blob.toString('base64')} me@desk` });
    const { createHash } = await import('node:crypto');
    assert.equal(imported.fingerprint, createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'));

    await assert.rejects(cp.compute.keypairs.create({ name: 'imp', userId: admin.userId, projectId: admin.projectId }), /Key pair 'imp' already exists\./);
    await assert.rejects(cp.compute.keypairs.create({ name: 'x', userId: admin.userId, projectId: admin.projectId, publicKey: 'ssh-rsa garbage' }), /Keypair data is invalid: failed to generate fingerprint/);
    await assert.rejects(cp.compute.keypairs.create({ name: '../../etc', userId: admin.userId, projectId: admin.projectId }), /Keypair name contains unsafe characters/);
    cp.compute.quotas.update(admin.projectId, { key_pairs: 2 });
    await assert.rejects(cp.compute.keypairs.create({ name: 'third', userId: admin.userId, projectId: admin.projectId }), /Quota exceeded, too many key pairs\./);

    const s = await cp.compute.createServers(admin, { name: 'k', imageRef: f.imageId, flavorRef: '1', keyName: 'gen', networks: [{ uuid: f.networkId }] });
    await cp.compute.settled(s.servers[0].id);
    assert.equal(cp.compute.getServer(admin, s.servers[0].id).keyName, 'gen');
  } finally {
    await f.close();
  }
});

test('server groups: anti-affinity spreads members across hosts; affinity keeps them together', async () => {
  const f = await computeFixture();
  try {
    const { cp, admin } = f;
    const anti = cp.compute.groups.create(admin, 'spread', 'anti-affinity');
    const res = await cp.compute.createServers(admin, { name: 'a', imageRef: f.imageId, flavorRef: '1', minCount: 3, maxCount: 3, groupId: anti.id, networks: [{ uuid: f.networkId }] });
    for (const s of res.servers) await cp.compute.settled(s.id);
    const hosts = res.servers.map((s) => cp.compute.getServer(admin, s.id).hostName);
    assert.equal(new Set(hosts).size, 3);
    assert.equal(cp.compute.groups.get(admin, anti.id).members.length, 3);
    const fourth = await cp.compute.createServers(admin, { name: 'a4', imageRef: f.imageId, flavorRef: '1', groupId: anti.id, networks: [{ uuid: f.networkId }] });
    await cp.compute.settled(fourth.servers[0].id);
    const s4 = cp.compute.getServer(admin, fourth.servers[0].id);
    assert.equal(s4.status, 'ERROR');
    assert.match(s4.fault!.message, /^No valid host was found\./);

    const aff = cp.compute.groups.create(admin, 'together', 'affinity');
    const res2 = await cp.compute.createServers(admin, { name: 'b', imageRef: f.imageId, flavorRef: '1', minCount: 3, maxCount: 3, groupId: aff.id, networks: [{ uuid: f.networkId }] });
    for (const s of res2.servers) await cp.compute.settled(s.id);
    assert.equal(new Set(res2.servers.map((s) => cp.compute.getServer(admin, s.id).hostName)).size, 1);
  } finally {
    await f.close();
  }
});
