import { expect, type Page } from '@playwright/test';
import { demoTest as test, rpc, signIn } from './fixtures';

const goIdentity = async (page: Page) => {
  await page.getByRole('navigation').getByRole('button', { name: 'Identity' }).click();
  await expect(page.getByRole('heading', { name: 'Identity', exact: true })).toBeVisible();
};

test('Identity: create a project and a user, assign a role; the user signs in and sees only that project', async ({ page, serve }) => {
  const token = await signIn(page, serve.url);
  // Something of the admin project the new user must not see.
  const [image] = await rpc<Array<{ id: string }>>(page, serve.url, token, 'imageList', {});
  const flavor = (await rpc<Array<{ id: string; name: string }>>(page, serve.url, token, 'flavorList', {})).find((f) => f.name === 'm1.tiny')!;
  await rpc(page, serve.url, token, 'serverCreate', { name: 'admins-only-vm', imageId: image.id, flavorId: flavor.id });
  await goIdentity(page);

  // A project, with a description.
  await page.getByRole('button', { name: 'New project' }).click();
  let dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.locator('input[name=name]').fill('Zoë’s café');
  await dialog.locator('input[name=description]').fill('the café’s cloud');
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(dialog).toBeHidden();
  const panel = page.getByRole('complementary', { name: 'Project Zoë’s café' });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('Nobody holds a role here yet.')).toBeVisible();

  // Its quota: 3 instances.
  await panel.locator('input[name=quota-instances]').fill('3');
  await panel.getByRole('button', { name: 'Save quota' }).click();
  await expect(panel.locator('[data-quota=instances]')).toContainText('0 of 3');

  // A user with a password, no project yet.
  await page.getByRole('tab', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'New user' }).click();
  dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.locator('input[name=name]').fill('zoe');
  await dialog.locator('input[name=password]').fill('short');
  await expect(dialog.getByText('At least 8 characters.')).toHaveClass(/error-text/);
  await dialog.locator('input[name=password]').fill('zoe-secret-1');
  await dialog.locator('input[name=confirm]').fill('zoe-secret-1');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();
  const userPanel = page.getByRole('complementary', { name: 'User zoe' });
  await expect(userPanel.getByText('No roles yet')).toBeVisible();

  // Assign member on the new project, from the user's panel.
  await userPanel.getByLabel('Project').selectOption({ label: 'Zoë’s café' });
  await userPanel.getByLabel('Role').selectOption({ label: 'member' });
  await userPanel.getByRole('button', { name: 'Assign role' }).click();
  await expect(userPanel.locator('.plain-list')).toContainText('Zoë’s café');
  await expect(page.locator('tr[data-user=zoe]')).toContainText('Zoë’s café (member)');

  // The Roles tab lists the assignment too.
  await page.getByRole('tab', { name: 'Roles' }).click();
  await expect(page.locator('.simple-table tbody tr', { hasText: 'zoe' })).toContainText('Zoë’s café');

  // Zoë signs in (no project named) and lands in her only project.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, serve.url, 'zoe', 'zoe-secret-1');
  await expect(page.locator('.topbar .project-pill')).toContainText('Zoë’s café');
  await expect(page.locator('.topbar .project-pill')).toContainText('zoe');
  // One project: no switcher menu.
  await expect(page.getByRole('button', { name: /switch project/ })).toHaveCount(0);
  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  await expect(page.getByRole('heading', { name: 'No instances yet' })).toBeVisible();
  await expect(page.getByText('admins-only-vm')).toHaveCount(0);
  await goIdentity(page);
  await expect(page.getByRole('tab', { name: 'Projects' })).toHaveCount(0);
  await expect(page.locator('.kv')).toContainText('Zoë’s café');
  await expect(page.locator('[data-quota=instances]')).toContainText('0 of 3');
});

test('project switcher: an admin with two projects switches, and everything reloads for the chosen one', async ({ page, serve }) => {
  const token = await signIn(page, serve.url);
  const [image] = await rpc<Array<{ id: string }>>(page, serve.url, token, 'imageList', {});
  const flavor = (await rpc<Array<{ id: string; name: string }>>(page, serve.url, token, 'flavorList', {})).find((f) => f.name === 'm1.tiny')!;
  await rpc(page, serve.url, token, 'serverCreate', { name: 'in-admin', imageId: image.id, flavorId: flavor.id });
  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  await expect(page.locator('.tbody .trow', { hasText: 'in-admin' })).toHaveCount(1);

  // A second project with a role for admin; the switcher appears as the assignment is pushed.
  const lab = await rpc<{ id: string }>(page, serve.url, token, 'projectCreate', { name: 'lab' });
  const roles = await rpc<Array<{ id: string; name: string }>>(page, serve.url, token, 'roleList', {});
  const session = await rpc<{ session: { userId: string } }>(page, serve.url, token, 'setupStatus', {});
  await rpc(page, serve.url, token, 'roleAssign', { userId: session.session.userId, projectId: lab.id, roleId: roles.find((r) => r.name === 'member')!.id });
  const switcher = page.getByRole('button', { name: /switch project/ });
  await expect(switcher).toBeVisible();
  await switcher.click();
  await page.getByRole('menuitemradio', { name: 'lab' }).click();

  await expect(page.locator('.topbar .project-pill')).toContainText('lab');
  await expect(page.getByText('in-admin')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'No instances yet' })).toBeVisible();
  // A member of lab is not an admin there: hosts are hidden, as for any member.
  await page.getByRole('navigation').getByRole('button', { name: 'Hosts' }).click();
  await expect(page.getByRole('heading', { name: 'Admins only' })).toBeVisible();

  // The switch survives a reload (the rescoped token is kept), and switching back restores admin.
  await page.reload();
  await expect(page.locator('.topbar .project-pill')).toContainText('lab');
  await page.getByRole('button', { name: /switch project/ }).click();
  await page.getByRole('menuitemradio', { name: 'admin' }).click();
  await expect(page.locator('.topbar .project-pill')).toContainText('admin');
  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  await expect(page.locator('.tbody .trow', { hasText: 'in-admin' })).toHaveCount(1);
});
