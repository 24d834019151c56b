import { openPage, signIn } from '../../helpers/browser';
import { useApiAndChromium } from './browser-fixture';

// The shell both browser apps share: served by Switchboard, sign-in through the API, role gate, language switch.
describe('web apps shell (Chromium)', () => {
  const web = useApiAndChromium();

  it('serves both apps with their bundles, without a token, and / leads to the softphone', async () => {
    for (const app of ['softphone', 'admin']) {
      const html = await fetch(`${web.harness.baseUrl}/${app}/`);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/text\/html/);
      const js = await fetch(`${web.harness.baseUrl}/${app}/main.js`);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
    }
    const root = await fetch(`${web.harness.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/softphone/');
  });

  it('refuses a wrong password on the page, and an operator signing in to the admin app is told to use the softphone', async () => {
    const watched = await openPage(web.browser, { ignoreErrors: [/401/] });
    try {
      await signIn(watched.page, web.harness.baseUrl, 'admin', 'h_operator', 'wrong-password');
      await expect(watched.page.getByRole('alert').textContent()).resolves.toMatch(/wrong username or password/i);
      await watched.page.getByLabel(/^password/i).fill('operator-password');
      await watched.page.getByRole('button', { name: /sign in/i }).click();
      await expect(watched.page.getByRole('alert').textContent()).resolves.toMatch(/may not open the admin/i);
      expect(watched.errors.filter((e) => !/401/.test(e))).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('switches the sign-in form to Russian and remembers the choice across a reload', async () => {
    const watched = await openPage(web.browser);
    try {
      await watched.page.goto(`${web.harness.baseUrl}/softphone/`);
      await watched.page.getByLabel('Language').selectOption('ru');
      await expect(watched.page.getByRole('button', { name: 'Войти' }).isVisible()).resolves.toBe(true);
      await watched.page.reload();
      await expect(watched.page.getByRole('button', { name: 'Войти' }).isVisible()).resolves.toBe(true);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  });
});
