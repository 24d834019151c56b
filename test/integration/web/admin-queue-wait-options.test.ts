import { eventually } from '../../helpers/eventually';
import { useAdminPage } from './browser-fixture';

interface QueueWaitFields {
  name: string;
  announceEverySeconds: number;
  musicOnHold: string;
  callbackKey: string | null;
  messageKey: string | null;
}

// Issue 17: what a queue's waiting callers hear and may press is set on the queue's form, and now takes effect.
describe('admin queue form: announcements, music and in-queue keys (Chromium)', () => {
  const web = useAdminPage('#/directory/queues');

  it('shows a queue’s keys (callback 1, message 2 by default) and saves new ones, an option turned off as null', async () => {
    const { page } = web.watched;
    await page.getByRole('button', { name: 'Finance service' }).click();
    const drawer = page.getByRole('dialog', { name: 'Edit Finance service' });
    await expect(drawer.getByLabel(/Key: call me back/).inputValue()).resolves.toBe('1');
    await expect(drawer.getByLabel('Key: leave a message').inputValue()).resolves.toBe('2');
    await expect(drawer.getByText('0 = no position announcements; the first comes after one interval').count()).resolves.toBe(1);
    await drawer.getByLabel(/Key: call me back/).selectOption('3');
    await drawer.getByLabel('Key: leave a message').selectOption({ label: 'not offered' });
    await drawer.getByLabel('Announce every (s)').fill('45');
    await drawer.getByLabel('Music on hold').fill('connecting');
    await drawer.getByRole('button', { name: 'Save' }).click();
    const finance = async (): Promise<QueueWaitFields | undefined> =>
      ((await web.harness.call('GET', '/api/queues', { token: web.harness.tokens.admin })).body as QueueWaitFields[]).find((q) => q.name === 'finance');
    await expect(eventually(finance, (q) => q?.callbackKey === '3', 5000, 100))
      .resolves.toMatchObject({ callbackKey: '3', messageKey: null, announceEverySeconds: 45, musicOnHold: 'connecting' });
    await web.watched.screenshot('admin-queue-wait-options');
    expect(web.watched.errors).toEqual([]);
  });
});
