// Groups on the Identity page: create one, add a member, give it a role on a project; the member's panels
// show the role "via group …" (read-only), a rename and removals show at once, and deletion asks first.
import { expect, type Page } from '@playwright/test';
import { demoTest as test, rpc, signIn } from './fixtures';

const tab = async (page: Page, name: string) => {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
};

test('groups: members hold the group’s role on a project, shown with its source', async ({ page, serve }) => {
  const token = await signIn(page, serve.url);
  await rpc(page, serve.url, token, 'projectCreate', { name: 'lab' });
  await rpc(page, serve.url, token, 'userCreate', { name: 'ana', password: 'ana-secret-1' });
  await page.getByRole('navigation').getByRole('button', { name: 'Identity' }).click();
  await tab(page, 'Groups');
  await expect(page.getByRole('heading', { name: 'No groups yet' })).toBeVisible();

  await page.getByRole('button', { name: 'New group' }).click();
  const dialog = page.getByRole('dialog', { name: 'New group' });
  await dialog.locator('input[name=name]').fill('devs');
  await dialog.locator('input[name=description]').fill('the developers');
  await dialog.getByRole('button', { name: 'Create group' }).click();
  const panel = page.getByRole('complementary', { name: 'Group devs' });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('Nobody yet.')).toBeVisible();

  // A member, and a role on lab for the group.
  await panel.getByLabel('New member').selectOption({ label: 'ana' });
  await panel.getByRole('button', { name: 'Add member' }).click();
  await expect(panel.getByRole('list', { name: 'Members' })).toContainText('ana');
  await panel.getByLabel('Project').selectOption({ label: 'lab' });
  await panel.getByLabel('Role').selectOption({ label: 'member' });
  await panel.getByRole('button', { name: 'Assign role' }).click();
  await expect(page.locator('tr[data-group=devs]')).toContainText('lab (member)');
  await expect(page.locator('tr[data-group=devs]')).toContainText('ana');

  // Ana's panel says where her role comes from, and offers no remove button for it.
  await tab(page, 'Users');
  await expect(page.locator('tr[data-user=ana]')).toContainText('lab (member)');
  await page.locator('tr[data-user=ana]').click();
  const ana = page.getByRole('complementary', { name: 'User ana' });
  await expect(ana.getByTestId('user-groups')).toHaveText('devs');
  const held = ana.locator('li[data-source="via group devs"]');
  await expect(held).toContainText('lab');
  await expect(held).toContainText('member');
  await expect(held.getByRole('button')).toHaveCount(0);

  // So does the project's member list, and the Roles tab.
  await tab(page, 'Projects');
  await page.locator('tr[data-project=lab]').click();
  await expect(page.getByRole('complementary', { name: 'Project lab' }).locator('li[data-source="via group devs"]')).toContainText('ana');
  await tab(page, 'Roles');
  await expect(page.locator('.simple-table tbody tr', { hasText: 'ana' })).toContainText('via group devs');

  // A rename shows everywhere at once.
  await tab(page, 'Groups');
  await page.locator('tr[data-group=devs]').click();
  await panel.locator('input[name=groupName]').fill('developers');
  await panel.getByRole('button', { name: 'Save' }).click();
  const renamed = page.getByRole('complementary', { name: 'Group developers' });
  await expect(renamed).toBeVisible();
  await tab(page, 'Users');
  await page.locator('tr[data-user=ana]').click();
  await expect(ana.locator('li[data-source="via group developers"]')).toContainText('lab');

  // Removing the group's role takes it from her; giving it back returns it.
  await tab(page, 'Groups');
  await page.locator('tr[data-group=developers]').click();
  await renamed.getByRole('button', { name: 'Remove member role of group developers on lab' }).click();
  await expect(renamed.getByText('No roles yet')).toBeVisible();
  await expect(page.locator('tr[data-group=developers]')).not.toContainText('lab');
  await tab(page, 'Users');
  await expect(page.locator('tr[data-user=ana]')).toContainText('none');
  await tab(page, 'Groups');
  await page.locator('tr[data-group=developers]').click();
  await renamed.getByLabel('Project').selectOption({ label: 'lab' });
  await renamed.getByRole('button', { name: 'Assign role' }).click();
  await expect(page.locator('tr[data-group=developers]')).toContainText('lab (member)');

  // Removing her from the group takes the role away.
  await renamed.getByRole('button', { name: 'Remove ana from developers' }).click();
  await expect(renamed.getByText('Nobody yet.')).toBeVisible();
  await tab(page, 'Users');
  await expect(page.locator('tr[data-user=ana]')).toContainText('none');

  // Deleting asks once and says what members would lose.
  await tab(page, 'Groups');
  await page.locator('tr[data-group=developers]').click();
  await renamed.getByLabel('New member').selectOption({ label: 'ana' });
  await renamed.getByRole('button', { name: 'Add member' }).click();
  await expect(renamed.getByRole('list', { name: 'Members' })).toContainText('ana');
  await renamed.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete group developers?' });
  await expect(confirm).toContainText('member on lab');
  await confirm.getByRole('button', { name: 'Delete group' }).click();
  await expect(page.getByRole('heading', { name: 'No groups yet' })).toBeVisible();
  await tab(page, 'Users');
  await expect(page.locator('tr[data-user=ana]')).toContainText('none');
});
