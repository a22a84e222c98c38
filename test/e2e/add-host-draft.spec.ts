// The add-host wizard keeps what was typed: Escape or a click on the backdrop asks before discarding it.
import { expect } from '@playwright/test';
import { demoTest as test, signIn } from './fixtures';

test('add-host wizard: closing with a typed address asks first, and keeps it when asked to', async ({ page, serve }) => {
  await signIn(page, serve.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Hosts' }).click();
  await page.getByRole('button', { name: 'Add host' }).click();
  const wizard = page.getByRole('dialog', { name: 'Add a host' });

  // Nothing typed: Escape closes at once.
  await page.keyboard.press('Escape');
  await expect(wizard).toBeHidden();

  await page.getByRole('button', { name: 'Add host' }).click();
  await wizard.locator('input[name=address]').fill('192.0.2.10');
  await wizard.locator('input[name=password]').fill('hunter2hunter2');
  await page.keyboard.press('Escape');
  const ask = wizard.getByRole('alertdialog', { name: 'Discard draft?' });
  await expect(ask).toContainText('the host 192.0.2.10');
  await wizard.getByRole('button', { name: 'Keep editing' }).click();
  await expect(wizard.locator('input[name=address]')).toHaveValue('192.0.2.10');
  await expect(wizard.locator('input[name=password]')).toHaveValue('hunter2hunter2');

  // The backdrop asks too; Discard closes, and the next wizard starts empty.
  await page.mouse.click(5, 5);
  await expect(ask).toBeVisible();
  await wizard.getByRole('button', { name: 'Discard' }).click();
  await expect(wizard).toBeHidden();
  await page.getByRole('button', { name: 'Add host' }).click();
  await expect(wizard.locator('input[name=address]')).toHaveValue('');
});
