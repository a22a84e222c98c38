// The spawn script's own input checks, run by the real /bin/sh on this computer: anything malformed is
// refused before the script touches libvirt or the disk. (The rest runs on the test rack.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DeskError } from '../../../main/core/errors';
import { HostPaths } from '../../../main/drivers/libvirt/paths';
import { spawnArgv, type SpawnScriptInput } from '../../../main/drivers/libvirt/spawn-script';

const input = (overrides: Partial<SpawnScriptInput> = {}): SpawnScriptInput => ({
  id: 'c0ffee00-0000-4000-8000-000000000001',
  base: '/var/lib/deskstack/images/img',
  diskGb: 1,
  seedLabel: 'cidata',
  networks: ['default'],
  reservations: [{ network: 'default', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.10' }],
  files: [],
  ...overrides,
});

test('the spawn script refuses malformed inputs before it runs anything', { skip: !existsSync('/bin/sh') && 'no /bin/sh' }, (t) => {
  const state = mkdtempSync(join(tmpdir(), 'deskstack-spawn-script-'));
  t.after(() => rmSync(state, { recursive: true, force: true }));
  const paths = new HostPaths(state);
  const cases: Array<[string, string[]]> = [
    ['id', spawnArgv(paths, input({ id: 'x;reboot' }))],
    ['disk size', spawnArgv(paths, input({ diskGb: 1.5 }))],
    ['seed', spawnArgv(paths, input({ seedLabel: 'other' as 'cidata' }))],
    ['reservation', spawnArgv(paths, input({ reservations: [{ network: 'default', mac: "fa:16:3e:00:00:01' x='", ip: '192.168.122.10' }] }))],
    ['reservation', spawnArgv(paths, input({ reservations: [{ network: 'default', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.300' }] }))],
    ['option', [...spawnArgv(paths, input()), '--exec', 'reboot']],
  ];
  for (const [what, argv] of cases) {
    // PATH without virsh: a check that let anything through would fail differently
    const r = spawnSync('/bin/sh', argv.slice(1), { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    assert.equal(r.status, 1, `${what}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^ds-fail bad-input ${what}`, 'm'), what);
  }
  assert.deepEqual(readdirSync(state), [], 'nothing was made');
});

test('network names that are not plain words never reach the host', () => {
  const paths = new HostPaths('/var/lib/deskstack');
  assert.throws(() => spawnArgv(paths, input({ networks: ['default --config'] })), (e) => e instanceof DeskError && e.code === 'BadRequest');
  assert.throws(() => spawnArgv(paths, input({ reservations: [{ network: '-x', mac: 'fa:16:3e:00:00:01', ip: '192.168.122.10' }] })), DeskError);
});
