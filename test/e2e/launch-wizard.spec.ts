import { expect, type Page, type Route } from '@playwright/test';
import { demoTest as test, rpc, signIn } from './fixtures';

/** Holds every call of these contract methods until release() (the lists arrive late). */
async function holdMethods(page: Page, methods: string[]): Promise<() => void> {
  const held: Route[] = [];
  let released = false;
  for (const m of methods) {
    await page.route(`**/api/rpc/${m}`, (route) => (released ? route.continue() : void held.push(route)));
  }
  return () => {
    released = true;
    for (const r of held.splice(0)) void r.continue();
  };
}

const openWizard = async (page: Page) => {
  await page.getByRole('button', { name: 'Launch instance' }).first().click();
  const dialog = page.getByRole('dialog', { name: /Launch instance/ });
  await expect(dialog).toBeVisible();
  return dialog;
};

test('wizard opened before the data arrives picks the defaults when it does', async ({ page, serve }) => {
  const release = await holdMethods(page, ['imageList', 'flavorList', 'networkList']);
  await signIn(page, serve.url);
  const dialog = await openWizard(page);
  await dialog.locator('input[name=name]').fill('late-vm');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByText('No active image yet')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();

  release();
  await expect(dialog.getByRole('radio', { name: /cirros/ })).toHaveAttribute('aria-checked', 'true');
  await expect(dialog.getByRole('radio', { name: /m1\.small/ })).toHaveAttribute('aria-checked', 'true');
  await dialog.getByRole('button', { name: 'Next' }).click();
  // The private network is chosen, not "No network".
  await expect(dialog.locator('select[name=network] option:checked')).toHaveText(/private/);
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.locator('dl.kv')).toContainText('private');

  // A choice the user made stays: "No network" chosen on purpose is kept.
  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.locator('select[name=network]').selectOption('');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.locator('dl.kv dd').nth(4)).toHaveText('none');
});

test('the count is typed like any number, and a decimal never reaches the server', async ({ page, serve }) => {
  await signIn(page, serve.url);
  const dialog = await openWizard(page);
  await dialog.locator('input[name=name]').fill('count-vm');
  const count = dialog.locator('input[name=count]');

  // Clearing the field and typing 3 gives 3 (it used to snap back to 1 and read 13).
  await count.click();
  await count.press('End');
  await count.press('Backspace');
  await expect(count).toHaveValue('');
  await expect(dialog.getByText('Enter how many instances to create.')).toBeVisible();
  await count.pressSequentially('3');
  await expect(count).toHaveValue('3');
  await count.press('Backspace');
  await count.pressSequentially('12');
  await expect(count).toHaveValue('12');

  await count.fill('1.5');
  await expect(dialog.getByText('A whole number, such as 3.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();
  await count.fill('60');
  await expect(dialog.getByText('Between 1 and 50.')).toBeVisible();

  await count.fill('2');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Create 2 instances' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.tbody .trow', { hasText: 'count-vm' })).toHaveCount(2);
});

test('a click on the backdrop or Escape asks before discarding a draft; an empty wizard just closes', async ({ page, serve }) => {
  await signIn(page, serve.url);
  let dialog = await openWizard(page);
  // Nothing typed yet: Escape closes at once.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  dialog = await openWizard(page);
  await dialog.locator('input[name=name]').fill('Zoë’s café');
  await page.mouse.click(20, 780);
  const ask = page.getByRole('alertdialog', { name: 'Discard draft?' });
  await expect(ask).toContainText('Discard the instance you were setting up?');
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(dialog.locator('input[name=name]')).toHaveValue('Zoë’s café');
  await expect(dialog.getByText(/Printable characters/)).toHaveCount(0);

  // Escape works with the focus outside every field too, and asks the same question.
  await dialog.getByRole('heading').click();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(ask).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await ask.getByRole('button', { name: 'Discard' }).click();
  await expect(dialog).toBeHidden();

  // Reopened, the wizard starts fresh.
  dialog = await openWizard(page);
  await expect(dialog.locator('input[name=name]')).toHaveValue('');
});

test('the wizard shows the quota and explains in words what does not fit', async ({ page, serve }) => {
  const token = await signIn(page, serve.url);
  const session = await rpc<{ session: { projectId: string } }>(page, serve.url, token, 'setupStatus', {});
  await rpc(page, serve.url, token, 'quotaUpdate', { projectId: session.session.projectId, limits: { instances: 2 } });
  // The Overview shows the quota, and follows the change as it is pushed.
  await expect(page.locator('.card', { hasText: 'Quota' }).locator('[data-quota=instances]')).toContainText('0 of 2');

  const dialog = await openWizard(page);
  const instances = dialog.locator('[data-quota=instances]');
  await expect(instances).toContainText('0 of 2');
  await dialog.locator('input[name=name]').fill('quota-vm');
  await dialog.locator('input[name=count]').fill('3');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('radio', { name: /m1\.small/ })).toContainText('room for 2 within quota');
  await expect(dialog.getByRole('alert')).toHaveText(/3 instances will not fit: this project may run 2 instances and has 0\. .*ask an admin|raise the quota/);
  await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();

  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.locator('input[name=count]').fill('2');
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('button', { name: 'Create 2 instances' }).click();
  await expect(dialog).toBeHidden();

  // The usage follows the launch: the quota is now full, and the wizard says so before anyone tries.
  const again = await openWizard(page);
  await expect(again.locator('[data-quota=instances]')).toContainText('2 of 2');
  await again.locator('input[name=name]').fill('one-more');
  await again.getByRole('button', { name: 'Next' }).click();
  await expect(again.getByRole('radio', { name: /m1\.small/ })).toContainText('quota is full');
  await expect(again.getByRole('alert')).toContainText('this project may run 2 instances and has 2');
});
