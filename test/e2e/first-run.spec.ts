import { expect } from '@playwright/test';
import { freshTest as test } from './fixtures';

test('first run: wizard seeds the demo rack, then an instance is launched, stopped and deleted', async ({ page, serve }) => {
  await page.goto(serve.url);

  // First-run wizard: the password serve printed, a new admin password, then the demo rack.
  await expect(page.getByRole('heading', { name: /set up your cloud/i })).toBeVisible();
  expect(serve.adminPassword, 'serve printed the generated admin password').toBeTruthy();
  // A wrong printed password is refused on the first step, before anything else is asked.
  await page.locator('input[name=currentPassword]').fill('not-the-printed-one');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/admin password that `deskstack serve` printed/)).toBeVisible();
  await expect(page.locator('input[name=password]')).toHaveCount(0);
  await page.locator('input[name=currentPassword]').fill(serve.adminPassword!);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('input[name=password]').fill('first-run-secret');
  await page.locator('input[name=confirm]').fill('first-run-secret');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: /Start with the demo rack/ }).click();

  // Signed in as admin, on the Overview with three demo hosts.
  await expect(page.getByRole('heading', { name: 'Overview', exact: true })).toBeVisible();
  await expect(page.locator('.host-card')).toHaveCount(3);

  // Instances → Launch: cirros, m1.small, private network.
  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  await expect(page.getByRole('heading', { name: 'Instances', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Launch instance' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('input[name=name]').fill('e2e-vm');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('radio', { name: /cirros/i }).click();
  await dialog.getByRole('radio', { name: /m1\.small/ }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  const privateNet = await dialog.locator('select[name=network] option', { hasText: 'private' }).first().getAttribute('value');
  await dialog.locator('select[name=network]').selectOption(privateNet!);
  await dialog.locator('textarea[name=userData]').fill('#cloud-config\nhostname: e2e-vm\n');
  await expect(dialog.getByText('Valid cloud-config.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('cirros', { exact: false })).toBeVisible();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();

  // The row reaches ACTIVE through pushed events (nobody reloads).
  const row = page.locator('.tbody .trow', { hasText: 'e2e-vm' });
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'ACTIVE', { timeout: 60_000 });

  // Stop → SHUTOFF, from the detail panel.
  await row.click();
  const detail = page.getByRole('complementary', { name: 'Instance e2e-vm' });
  await expect(detail).toBeVisible();
  await detail.getByRole('button', { name: 'Stop' }).click();
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'SHUTOFF', { timeout: 60_000 });

  // Delete, confirmed once → the row disappears.
  await detail.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete e2e-vm?' });
  await expect(confirm).toContainText('cannot be undone');
  await confirm.getByRole('button', { name: 'Delete instance' }).click();
  await expect(row).toHaveCount(0, { timeout: 60_000 });
});
