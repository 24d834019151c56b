import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { findExecutable } from '../../src/platform/managed-process';
import { browserTrust } from './test-tls';

/** Debian's Chromium; tests never let a tool download a browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for headless Chromium as root on a closed network, with fake camera and
 * microphone so that WebRTC runs without a person (design §7).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-gpu', '--disable-quic',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required',
];

export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');

export function chromiumPresent(): boolean {
  return findExecutable(CHROMIUM_PATH) !== null;
}

/** Chromium trusting the test run's CA (test-tls.ts), so that HTTPS pages and WSS load as on an office PC. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const trust = browserTrust();
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...trust.args, ...extraArgs], env: trust.env });
}

/** A page that remembers every console error and uncaught page error, so that tests can assert there were none. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far, as text. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openPage(browser: Browser, options: { viewport?: { width: number; height: number }; locale?: string; ignoreErrors?: RegExp[] } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: options.locale ?? 'en-GB',
    permissions: ['microphone', 'camera', 'notifications'],
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const ignored = options.ignoreErrors ?? [];
  const keep = (text: string): void => {
    if (!ignored.some((re) => re.test(text))) errors.push(text);
  };
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') keep(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => keep(`page: ${error.message}`));
  return {
    page, context, errors,
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    async close() {
      await context.close();
    },
  };
}

/** Signs in through the app's own login form. */
export async function signIn(page: Page, baseUrl: string, app: 'softphone' | 'admin', username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/${app}/`);
  await page.getByLabel(/username|имя пользователя/i).fill(username);
  await page.getByLabel(/^password|^пароль/i).fill(password);
  await page.getByRole('button', { name: /sign in|войти/i }).click();
}
