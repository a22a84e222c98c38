import { expect } from '@playwright/test';
import { demoTest as test, rpc, signIn } from './fixtures';

test('instances: search leads to every match, rows are picked for bulk stop and delete, the console leaves the table usable', async ({ page, serve }) => {
  const token = await signIn(page, serve.url);
  const [image] = await rpc<Array<{ id: string }>>(page, serve.url, token, 'imageList', {});
  const flavor = (await rpc<Array<{ id: string; name: string }>>(page, serve.url, token, 'flavorList', {})).find((f) => f.name === 'm1.tiny')!;
  await rpc(page, serve.url, token, 'serverCreate', { name: 'bulk', imageId: image.id, flavorId: flavor.id, count: 10 });
  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  const rows = page.locator('.tbody .trow');
  await expect(rows.locator('[data-status=ACTIVE]')).toHaveCount(10, { timeout: 60_000 });
  await expect(page.locator('.page-head .sub')).toHaveText('10 instances in this project · quota 10');

  // The sort arrow has a size.
  await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  const arrow = await page.getByRole('columnheader', { name: 'Name' }).locator('svg').boundingBox();
  expect(arrow!.width).toBeGreaterThan(8);
  expect(arrow!.height).toBeGreaterThan(8);

  // Global search shows 8 and says how many more match; "show all" filters the table.
  await page.getByRole('navigation').getByRole('button', { name: 'Overview' }).click();
  await page.getByLabel('Search instances and images').fill('bulk');
  await expect(page.getByRole('option')).toHaveCount(9);
  await page.getByRole('option', { name: 'Show all 10 matching instances' }).click();
  await expect(page.getByLabel('Filter instances')).toHaveValue('bulk');
  await expect(rows).toHaveCount(10);

  // Pick bulk-1..bulk-3 (a click, then a shift-click for the range) and stop them together.
  await page.getByLabel('Select bulk-1', { exact: true }).check();
  await page.getByLabel('Select bulk-3', { exact: true }).click({ modifiers: ['Shift'] });
  const bar = page.getByRole('toolbar', { name: 'Selected instances' });
  await expect(bar).toContainText('3 instances selected');
  await bar.getByRole('button', { name: 'Stop' }).click();
  for (const n of [1, 2, 3]) await expect(rows.filter({ hasText: `bulk-${n}` }).first().locator('[data-status]')).toHaveAttribute('data-status', 'SHUTOFF', { timeout: 60_000 });
  await expect(rows.locator('[data-status=ACTIVE]')).toHaveCount(7);
  await expect(bar.getByRole('button', { name: 'Start' })).toBeEnabled();

  // The console tab keeps the table wide enough to read.
  await rows.filter({ hasText: 'bulk-4' }).first().click();
  const detail = page.getByRole('complementary', { name: 'Instance bulk-4' });
  await detail.getByRole('tab', { name: 'Console' }).click();
  const table = await page.locator('.split > .table-wrap').boundingBox();
  expect(table!.width).toBeGreaterThanOrEqual(350);
  await detail.getByRole('button', { name: 'Close details' }).click();

  // Everything shown, deleted after one question that names what goes.
  await page.getByLabel('Select all 10 shown').check();
  await expect(bar).toContainText('10 instances selected');
  await bar.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete 10 instances?' });
  await expect(confirm).toContainText(/bulk-\d+, bulk-\d+, bulk-\d+, bulk-\d+, bulk-\d+ and 5 more/);
  await confirm.getByRole('button', { name: 'Delete 10 instances' }).click();
  await expect(rows).toHaveCount(0, { timeout: 60_000 });
  await expect(bar).toHaveCount(0);

  // Finished tasks say how they ended, not the step they were on.
  await page.getByRole('navigation').getByRole('button', { name: 'Activity' }).click();
  const done = page.locator('.task-item', { has: page.locator('[data-status=SUCCEEDED]') });
  await expect(done.first()).toBeVisible();
  await expect(done.filter({ hasText: /spawning|deleting|powering/ })).toHaveCount(0);
  await expect(done.first()).toContainText(/Done in (under a second|\d+)/);
});
