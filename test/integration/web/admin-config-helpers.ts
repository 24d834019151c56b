import type { Page } from 'playwright-core';

/**
 * Signs in to the admin app straight onto one of its pages (#/ivr, #/directory…),
 * so the landing page of another screen is not loaded on the way.
 */
export async function signInAdminAt(page: Page, baseUrl: string, hash: string, username: string, password: string, options: { expectAdmin?: boolean } = {}): Promise<void> {
  await page.goto(`${baseUrl}/admin/${hash}`);
  await page.getByLabel(/username|имя пользователя/i).fill(username);
  await page.getByLabel(/^password|^пароль/i).fill(password);
  await page.getByRole('button', { name: /sign in|войти/i }).click();
  // An operator gets the role notice instead of the menu.
  if (options.expectAdmin === false) await page.getByRole('alert').waitFor();
  else await page.getByRole('navigation').waitFor();
}
