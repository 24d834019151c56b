import { useAdminPage } from './browser-fixture';

// Issue 15: deactivating someone the directory relies on is refused (409 REFERENCE_IN_USE); the form says who relies on them.
describe('admin directory: a refused deactivation names its references (Chromium)', () => {
  const web = useAdminPage('#/directory/staff', { ignoreErrors: [/status of 409/] });

  it('unticking Active for the head of two departments shows each department, and nothing changes', async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'Irina Sokolova' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Irina Sokolova' });
    await edit.getByLabel('Active').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    const banner = edit.getByRole('alert');
    await banner.waitFor();
    await expect(banner.getByText('Still relied on by:').count()).resolves.toBe(1);
    await expect(banner.locator('li').allTextContents()).resolves.toEqual([
      "departments[wholesale_sales].headId — head of department 'wholesale_sales'",
      "departments[regional_sales].headId — head of department 'regional_sales'",
    ]);
    const staff = (await web.harness.call('GET', '/api/staff?limit=1000', { token: web.harness.tokens.admin })).body as Array<{ fullName: string; active: boolean }>;
    expect(staff.find((s) => s.fullName === 'Irina Sokolova')?.active).toBe(true);
    await web.watched.screenshot('admin-directory-reference-in-use');
    expect(web.watched.errors).toEqual([]);
  });
});
