// The clouds.yaml and environment lines the Identity page shows for a new application credential: real
// YAML that a parser reads back, and shell lines that /bin/sh reads back, whatever the values hold.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { cloudName, cloudsYaml, envLines, AUTH_URL_PLACEHOLDER } from '../../renderer/src/pages/identity/client-config';

const hostile = { name: 'CI: “prod” deploy', id: '0123abcd', secret: `it's "odd" $(touch /tmp/x) \`x\` \\ #`, authUrl: 'http://127.0.0.1:7480/identity/v3?a=1&b=2', regionName: 'RegionOne' };

describe('application credential client config', () => {
  it('names the cloud after the credential', () => {
    assert.equal(cloudName('CI: “prod” deploy'), 'deskstack-ci-prod-deploy');
    assert.equal(cloudName('***'), 'deskstack');
  });

  it('writes a clouds.yaml that parses back to the same values', () => {
    const doc = parse(cloudsYaml(hostile)) as { clouds: Record<string, { auth_type: string; auth: Record<string, string>; region_name: string; identity_api_version: number }> };
    const cloud = doc.clouds['deskstack-ci-prod-deploy'];
    assert.equal(cloud.auth_type, 'v3applicationcredential');
    assert.deepEqual(cloud.auth, { auth_url: hostile.authUrl, application_credential_id: hostile.id, application_credential_secret: hostile.secret });
    assert.equal(cloud.region_name, 'RegionOne');
    assert.equal(cloud.identity_api_version, 3);
    assert.equal((parse(cloudsYaml({ ...hostile, authUrl: null })) as typeof doc).clouds['deskstack-ci-prod-deploy'].auth.auth_url, AUTH_URL_PLACEHOLDER);
  });

  it('writes environment lines a POSIX shell reads back literally', () => {
    const script = `${envLines(hostile)}printf '%s\\n' "$OS_AUTH_TYPE" "$OS_AUTH_URL" "$OS_APPLICATION_CREDENTIAL_ID" "$OS_APPLICATION_CREDENTIAL_SECRET"`;
    const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, 4), ['v3applicationcredential', hostile.authUrl, hostile.id, hostile.secret]);
  });
});
