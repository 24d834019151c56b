import type { Browser } from 'playwright-core';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness';
import { launchChromium, openPage, type WatchedPage } from '../../helpers/browser';
import { releaseInOrder } from '../../helpers/release';
import { signInAdminAt } from './admin-config-helpers';

/** The real API on the demo data and one Chromium, for the tests of one file; each test opens its own pages. */
export interface ApiAndChromium {
  readonly harness: ApiHarness;
  readonly browser: Browser;
}

/** ApiAndChromium with the one page the file's tests share, signed in as the admin. */
export interface AdminPage extends ApiAndChromium {
  readonly watched: WatchedPage;
}

/**
 * A part the beforeAll makes. Read before it ran, or after it failed, it
 * throws a message that says so, not a TypeError on undefined far from the
 * cause.
 */
function made<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not there: this file's beforeAll failed or has not run`);
  return value;
}

/**
 * Starts the API harness on the demo data and Chromium before the file's tests,
 * and with `admin` the page they share, signed in; after the tests closes the
 * page, the browser and the harness, each even when the one before it fails.
 */
function useBrowserHooks(admin?: { hash: string; ignoreErrors: RegExp[] }): AdminPage {
  let harness: ApiHarness | undefined;
  let browser: Browser | undefined;
  let watched: WatchedPage | undefined;
  beforeAll(async () => {
    harness = await startApiHarness({ demo: true });
    browser = await launchChromium();
    if (!admin) return;
    watched = await openPage(browser, { ignoreErrors: admin.ignoreErrors });
    watched.page.on('dialog', (dialog) => void dialog.accept());
    await signInAdminAt(watched.page, harness.baseUrl, admin.hash, 'admin', 'admin-password');
  });
  // Each step may take up to 30 s on a loaded machine; the hook allows all three.
  afterAll(() => releaseInOrder([() => watched?.close(), () => browser?.close(), () => harness?.close()]), 100_000);
  return {
    get harness() {
      return made(harness, 'the API harness');
    },
    get browser() {
      return made(browser, 'Chromium');
    },
    get watched() {
      return made(watched, 'the signed-in page');
    },
  };
}

/** The hooks of a browser test file whose tests open their own pages. */
export function useApiAndChromium(): ApiAndChromium {
  return useBrowserHooks();
}

/**
 * The hooks of an admin screen's test file: one page, signed in as the
 * harness's admin straight onto `hash` (#/directory/staff…), shared by the
 * file's tests in order. It accepts every dialog, as the screens ask before
 * they publish, roll back, remove or reset SIP credentials; `ignoreErrors` are
 * console errors the tests cause on purpose (a refused save is a 400 the page
 * shows).
 */
export function useAdminPage(hash: string, options: { ignoreErrors?: RegExp[] } = {}): AdminPage {
  return useBrowserHooks({ hash, ignoreErrors: options.ignoreErrors ?? [] });
}
