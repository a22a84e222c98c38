// The real-host path end to end in the browser: a test-rack host (real sshd + libvirtd, guests under
// QEMU/TCG) is added through the wizard, preflighted, provisioned, runs an instance, and its serial
// console shows the guest's output. Needs root and the rack's Debian packages; skipped otherwise.
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { rackUnavailableReason } from '../rack/available';
import { buildGuestImage, type GuestImage } from '../rack/guest-image';
import { startRack, type Rack } from '../rack/rack';
import { freshTest as test, type ServeHandle } from './fixtures';

const ADMIN_PASSWORD = 'add-host-e2e-secret';
const skipReason = rackUnavailableReason({ guestImage: true });

let rack: Rack | null = null;
let guest: GuestImage | null = null;

test.describe('add a real host through the wizard', () => {
  test.skip(Boolean(skipReason), `test rack unavailable: ${skipReason}`);

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    guest = await buildGuestImage();
    rack = await startRack({ hosts: 1 });
  });
  test.afterAll(async () => {
    await rack?.stop();
  });

  async function firstRun(page: Page, serve: ServeHandle): Promise<string> {
    await page.goto(serve.url);
    await expect(page.getByRole('heading', { name: /set up your cloud/i })).toBeVisible();
    // In a browser the wizard first asks for the password serve printed.
    expect(serve.adminPassword, 'serve printed the generated admin password').toBeTruthy();
    await page.locator('input[name=currentPassword]').fill(serve.adminPassword!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
    await page.locator('input[name=confirm]').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: /Add hosts later/ }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    return (await page.evaluate(() => localStorage.getItem('deskstack.token')))!;
  }

  /** Uploads the tiny guest image through Glance's own API, as `openstack image create` would. */
  async function uploadGuestImage(page: Page, url: string, token: string): Promise<void> {
    const created = await page.request.post(`${url}/image/v2/images`, {
      headers: { 'x-auth-token': token },
      data: { name: 'rack-guest', disk_format: 'qcow2', container_format: 'bare', visibility: 'public' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const put = await page.request.put(`${url}/image/v2/images/${id}/file`, {
      headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
      data: readFileSync(guest!.path),
    });
    expect(put.status(), await put.text()).toBe(204);
  }

  test('wizard: connect, trust the key, preflight, provision; then an instance and its serial console', async ({ page, serve }) => {
    test.setTimeout(900_000);
    const host = rack!.hosts[0];
    const token = await firstRun(page, serve);

    // Hosts → Add host: address, port, user, password (used once).
    await page.getByRole('navigation').getByRole('button', { name: 'Hosts' }).click();
    await page.getByRole('button', { name: 'Add host' }).first().click();
    const wizard = page.getByRole('dialog');
    await wizard.locator('input[name=address]').fill(host.ip);
    await wizard.locator('input[name=port]').fill(String(host.port));
    await wizard.locator('input[name=user]').fill(host.user);
    await wizard.locator('input[name=password]').fill(host.password);
    await wizard.getByRole('button', { name: 'Connect' }).click();

    // First contact shows the host key; it is the rack host's own.
    await expect(wizard.getByTestId('host-fingerprint')).toContainText(host.hostKeyFingerprint);
    await wizard.getByRole('button', { name: 'Trust this host' }).click();

    // The preflight report: every check with a verdict; /dev/kvm is hidden in the rack, so a warning.
    const checks = wizard.locator('.checklist .check');
    await expect(checks.first()).toBeVisible({ timeout: 120_000 });
    expect(await checks.count()).toBeGreaterThan(3);
    await expect(wizard.locator('.check[data-status=fail]')).toHaveCount(0);
    await expect(wizard.getByText(/software emulation/).first()).toBeVisible();

    // Provision: progress with the current step and log, until done with capacity shown.
    await wizard.getByRole('button', { name: 'Provision' }).click();
    await expect(wizard.getByRole('progressbar')).toBeVisible();
    await expect(wizard.getByText(/is ready\./)).toBeVisible({ timeout: 600_000 });
    await expect(wizard.locator('.pstep[data-status=done]').first()).toBeVisible();
    await expect(wizard.locator('.host-card .meter')).toHaveCount(3);
    await wizard.getByRole('button', { name: 'Done' }).click();
    await expect(page.locator('.host-card [data-status=UP]')).toHaveCount(1);

    // An image, then an instance on the new host, launched from the UI.
    await uploadGuestImage(page, serve.url, token);
    await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
    await page.getByRole('button', { name: 'Launch instance' }).first().click();
    const launch = page.getByRole('dialog');
    await launch.locator('input[name=name]').fill('rack-vm');
    await launch.getByRole('button', { name: 'Next' }).click();
    await launch.getByRole('radio', { name: /rack-guest/ }).click();
    await launch.getByRole('radio', { name: /m1\.tiny/ }).click();
    await launch.getByRole('button', { name: 'Next' }).click();
    await launch.getByRole('button', { name: 'Next' }).click();
    await launch.getByRole('button', { name: 'Create' }).click();
    const row = page.locator('.tbody .trow', { hasText: 'rack-vm' });
    await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'ACTIVE', { timeout: 300_000 });

    // Its serial console, through the SSH tunnel: the guest prints its marker with its hostname.
    await row.click();
    const detail = page.getByRole('complementary', { name: 'Instance rack-vm' });
    await detail.getByRole('tab', { name: 'Console' }).click();
    const term = detail.getByTestId('serial-console');
    await expect(detail.getByText('Connected', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(term).toContainText('DESKSTACK-GUEST-READY hostname=rack-vm', { timeout: 180_000 });
    // Typed keys reach the guest's shell and its answer comes back.
    await term.click();
    await page.keyboard.type('hostname');
    await page.keyboard.press('Enter');
    await expect(term.locator('.xterm-rows > div', { hasText: /^rack-vm\s*$/ })).toHaveCount(1, { timeout: 30_000 });

    // The graphical console: noVNC over the same bridge, through an SSH tunnel to the host's loopback.
    await detail.getByRole('tab', { name: 'Graphical (VNC)' }).click();
    await expect(detail.getByText('Connected', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(detail.locator('.vnc-screen canvas')).toBeVisible();
    await expect(detail.getByRole('button', { name: 'Ctrl-Alt-Del' })).toBeEnabled();
  });
});
