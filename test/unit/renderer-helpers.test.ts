// Pure helpers of the renderer: capacity bar scale and quota wording.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barPosition } from '../../renderer/src/components/meter';
import { plural } from '../../renderer/src/components/plural';
import { explainOverQuota, quotaShortfall } from '../../renderer/src/pages/launch/quota-text';

describe('capacity bar scale', () => {
  it('gives physical capacity half the bar under a big overcommit ratio, and the rest to the overcommit zone', () => {
    // 67 vCPUs allocated on 16 physical with a 16× ratio (limit 256).
    assert.equal(barPosition(16, 16, 256), 50);
    assert.equal(barPosition(8, 16, 256), 25);
    assert.ok(Math.abs(barPosition(67, 16, 256) - (50 + (51 / 240) * 50)) < 1e-9);
    assert.equal(barPosition(256, 16, 256), 100);
    assert.equal(barPosition(400, 16, 256), 100, 'beyond the limit stays at the end');
  });

  it('stays linear for small ratios, and ends at physical without overcommit', () => {
    assert.ok(Math.abs(barPosition(64, 64, 96) - (64 / 96) * 100) < 1e-9, 'RAM ×1.5: physical at two thirds');
    assert.equal(barPosition(500, 1000, 1000), 50);
    assert.equal(barPosition(450, 1000, 900), 45, 'a ratio below 1 keeps physical at the end');
    assert.equal(barPosition(0, 0, 0), 0);
  });
});

describe('quota wording', () => {
  const quota = { projectId: 'p', limits: { instances: 10, cores: 20, ram: 51200, key_pairs: 100, metadata_items: 128, server_groups: 10, server_group_members: 10 }, usage: { instances: 10, cores: 10, ram: 20480, key_pairs: 0, metadata_items: 0, server_groups: 0, server_group_members: 0 } };

  it('explains an over-quota refusal from its details', () => {
    const text = explainOverQuota({ overs: ['instances'], requested: { instances: 1, cores: 1, ram: 512 }, used: { instances: 10, cores: 10, ram: 0 }, limits: { instances: 10, cores: 20, ram: 51200 } }, false);
    assert.equal(text, 'This project may run 10 instances and has 10: ask an admin to raise the quota, or delete an instance.');
    assert.match(explainOverQuota({ overs: ['cores'], requested: { instances: 2, cores: 8, ram: 0 }, used: { instances: 1, cores: 16, ram: 0 }, limits: { instances: 10, cores: 20, ram: 51200 } }, true)!, /may use 20 vCPUs and uses 16; this launch needs 8 more: raise the quota on the Identity page/);
    assert.equal(explainOverQuota(undefined, false), null);
  });

  it('says what does not fit before the launch', () => {
    assert.match(quotaShortfall(quota, 1, 512, 1, false)!, /^1 instance will not fit: this project may run 10 instances and has 10\./);
    assert.equal(quotaShortfall({ ...quota, usage: { ...quota.usage, instances: 2 } }, 1, 512, 3, false), null);
    assert.equal(quotaShortfall(null, 1, 512, 3, false), null);
  });

  it('pluralises', () => {
    assert.equal(plural(1, 'instance'), '1 instance');
    assert.equal(plural(0, 'instance'), '0 instances');
    assert.equal(plural(1200, 'entry', 'entries'), '1,200 entries');
  });
});
