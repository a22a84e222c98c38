import { expect } from '@playwright/test';
import { DEMO_PASSWORD, demoTest as test } from './fixtures';

test('serve --demo skips the wizard: the browser goes straight to sign-in', async ({ page, serve }) => {
  await page.goto(serve.url);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(/set up your cloud/i)).toHaveCount(0);

  // A wrong password is refused with a message that says what to check.
  await page.locator('input[name=password]').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/Sign-in failed/)).toBeVisible();

  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.locator('.host-card')).toHaveCount(3);

  // A reload keeps the session (the token is kept by the browser).
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();

  // Sign out returns to the sign-in page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
