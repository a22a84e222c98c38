// Application credentials in the browser: made on the Identity page, the secret read from its shown-once
// dialog authenticates over Keystone's REST API (and through the openstack CLI with the clouds.yaml the
// dialog offers); revoked from the page, the same authentication is refused.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type APIRequestContext } from '@playwright/test';
import { OPENSTACK_CLI, openstackCliSkip, type CliResult } from '../helpers/openstack-cli';
import { demoTest as test, signIn } from './fixtures';

/** POST /identity/v3/auth/tokens with the application_credential method. */
function authenticate(request: APIRequestContext, url: string, id: string, secret: string) {
  return request.post(`${url}/identity/v3/auth/tokens`, { data: { auth: { identity: { methods: ['application_credential'], application_credential: { id, secret } } } } });
}

/** `openstack --os-cloud NAME token issue` with only the given clouds.yaml to go on (no OS_* variables). */
function tokenIssueWithCloudsYaml(yaml: string, cloud: string): Promise<CliResult> {
  const home = mkdtempSync(join(tmpdir(), 'deskstack-e2e-clouds-'));
  mkdirSync(join(home, '.config', 'openstack'), { recursive: true });
  writeFileSync(join(home, '.config', 'openstack', 'clouds.yaml'), yaml);
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', [OPENSTACK_CLI, '--os-cloud', cloud, 'token', 'issue', '-f', 'json'], { env: { PATH: '/usr/bin:/bin', HOME: home }, timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      rmSync(home, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

test('application credential: create in the UI, authenticate with its secret over REST, revoke and be refused', async ({ page, context, serve }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serve.url });
  await signIn(page, serve.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Identity' }).click();
  await page.getByRole('tab', { name: 'Application credentials' }).click();
  await expect(page.getByRole('heading', { name: 'No application credentials' })).toBeVisible();

  await page.getByRole('button', { name: 'New application credential' }).click();
  const dialog = page.getByRole('dialog', { name: 'New application credential' });
  await dialog.locator('input[name=name]').fill('terraform-ci');
  await dialog.locator('input[name=description]').fill('the CI pipeline');
  // Only the member role is chosen by default; unrestricted is off.
  await expect(dialog.locator('input[name=role-member]')).toBeChecked();
  await expect(dialog.locator('input[name=role-admin]')).not.toBeChecked();
  await expect(dialog.locator('input[name=unrestricted]')).not.toBeChecked();
  await dialog.locator('input[name=role-member]').uncheck();
  await expect(dialog.getByText('Choose at least one role.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Create credential' })).toBeDisabled();
  await dialog.locator('input[name=role-member]').check();
  await dialog.locator('select[name=expiry]').selectOption({ label: 'In 90 days' });
  await dialog.getByRole('button', { name: 'Create credential' }).click();

  // The secret, once, with what to paste.
  const shown = page.getByRole('dialog', { name: 'Application credential terraform-ci created' });
  await expect(shown).toBeVisible();
  const id = (await shown.getByTestId('app-credential-id').textContent())!.trim();
  const secret = (await shown.getByTestId('app-credential-secret').textContent())!.trim();
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(secret.length).toBeGreaterThanOrEqual(32);
  const yaml = (await shown.getByLabel('clouds.yaml', { exact: true }).textContent())!;
  expect(yaml).toContain('auth_type: v3applicationcredential');
  expect(yaml).toContain(`auth_url: "${serve.url}/identity/v3"`);
  expect(yaml).toContain(`application_credential_secret: "${secret}"`);
  const env = (await shown.getByLabel('Environment', { exact: true }).textContent())!;
  expect(env).toContain('export OS_AUTH_TYPE=v3applicationcredential');
  expect(env).toContain(`export OS_APPLICATION_CREDENTIAL_ID=${id}`);
  expect(env).toContain(`export OS_APPLICATION_CREDENTIAL_SECRET=${secret}`);

  // Closing before anything was copied asks first; copying makes closing safe.
  await page.keyboard.press('Escape');
  await expect(shown.getByRole('alertdialog', { name: 'Discard draft?' })).toContainText('Discard the secret of terraform-ci? It is shown only once');
  await shown.getByRole('button', { name: 'Keep editing' }).click();
  await shown.getByRole('button', { name: 'Copy secret' }).click();
  await expect(shown.getByRole('button', { name: 'Copy secret' })).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.keyboard.press('Escape');
  await expect(shown).toBeHidden();

  const row = page.locator('tr[data-app-credential=terraform-ci]');
  await expect(row).toContainText('admin');
  await expect(row).toContainText('member');
  await expect(row).not.toContainText('never');

  // The secret authenticates, scoped to the project it was made on, with the chosen role and what it implies.
  const ok = await authenticate(page.request, serve.url, id, secret);
  expect(ok.status(), await ok.text()).toBe(201);
  const token = (await ok.json()) as { token: { project: { name: string }; roles: Array<{ name: string }>; application_credential: { id: string } } };
  expect(token.token.project.name).toBe('admin');
  expect(token.token.application_credential.id).toBe(id);
  expect(token.token.roles.map((r) => r.name).sort()).toEqual(['member', 'reader']);
  expect((await authenticate(page.request, serve.url, id, `${secret}x`)).status()).toBe(401);

  // The clouds.yaml from the dialog works as is with OpenStack's own client.
  if (!openstackCliSkip) {
    const cli = await tokenIssueWithCloudsYaml(yaml, 'deskstack-terraform-ci');
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { project_id: string }).project_id).toMatch(/^[0-9a-f]{32}$/);
  }

  // Revoke asks once, naming it; then the same authentication is refused.
  await row.getByRole('button', { name: 'Revoke terraform-ci' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke application credential terraform-ci?' });
  await expect(confirm).toContainText('stops working at once');
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No application credentials' })).toBeVisible();
  expect((await authenticate(page.request, serve.url, id, secret)).status()).toBe(401);
});
