import { expect } from '@playwright/test';
import { DEMO_PASSWORD, demoTest as test } from './fixtures';

test('serve --demo skips the wizard: the browser goes straight to sign-in', async ({ page, serve }) => {
  // A fresh load checks the session without a failing request, so the browser console stays clean.
  const consoleErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(serve.url);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText(/set up your cloud/i)).toHaveCount(0);
  // A token the server no longer knows is dropped quietly too.
  await page.evaluate(() => localStorage.setItem('deskstack.token', 'stale-token'));
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('deskstack.token'))).toBeNull();
  expect(consoleErrors).toEqual([]);

  // A wrong password is refused with a message that says what to check.
  await page.locator('input[name=password]').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/Sign-in failed/)).toBeVisible();
  // The refused password is a 401 the browser logs: expected, so it is set aside.
  consoleErrors.length = 0;

  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.locator('.host-card')).toHaveCount(3);

  // A reload keeps the session (the token is kept by the browser).
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  expect(consoleErrors, 'a signed-in reload logs nothing either').toEqual([]);

  // Sign out returns to the sign-in page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
