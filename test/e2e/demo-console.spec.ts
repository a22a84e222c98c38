import { expect } from '@playwright/test';
import { demoTest as test, rpc as call, signIn } from './fixtures';

test('demo rack: the serial console of an instance answers hostname; VNC explains it is unavailable', async ({ page, serve }) => {
  const token = await signIn(page, serve.url);
  // The instance is created through the contract (the launch wizard has its own test).
  const rpc = (method: string, input: unknown) => call(page, serve.url, token, method, input);
  const [image] = (await rpc('imageList', {})) as Array<{ id: string }>;
  const net = ((await rpc('networkList', {})) as Array<{ id: string; name: string }>).find((n) => n.name === 'private')!;
  const flavor = ((await rpc('flavorList', {})) as Array<{ id: string; name: string }>).find((f) => f.name === 'm1.tiny')!;
  await rpc('serverCreate', { name: 'console-e2e', imageId: image.id, flavorId: flavor.id, networkIds: [net.id] });

  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  const row = page.locator('.tbody .trow', { hasText: 'console-e2e' });
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'ACTIVE', { timeout: 60_000 });
  await row.click();
  const detail = page.getByRole('complementary', { name: 'Instance console-e2e' });
  await detail.getByRole('tab', { name: 'Console' }).click();

  // The boot log is replayed, then the shell prompt appears.
  const term = detail.getByTestId('serial-console');
  await expect(term).toContainText('console-e2e login:');
  await expect(term).toContainText('root@console-e2e:~#');
  await expect(detail.getByText('Connected', { exact: true })).toBeVisible();
  await term.click();
  await page.keyboard.type('hostname');
  await page.keyboard.press('Enter');
  await expect(term.locator('.xterm-rows > div', { hasText: /^console-e2e\s*$/ })).toHaveCount(1);

  // The demo rack has no graphical console: a clear message and a way back to the serial console.
  await detail.getByRole('tab', { name: 'Graphical (VNC)' }).click();
  await expect(detail.getByText('The demo rack has no graphical console; use the serial console.')).toBeVisible();
  await detail.getByRole('button', { name: 'Open the serial console' }).click();
  await expect(term).toContainText('root@console-e2e:~#');

  // Stopping the instance ends the live console and leaves the log readable.
  await detail.getByRole('button', { name: 'Stop' }).click();
  await expect(row.locator('[data-status]')).toHaveAttribute('data-status', 'SHUTOFF', { timeout: 60_000 });
  await expect(detail.getByLabel('Console log')).toContainText('reboot: Power down');
});
