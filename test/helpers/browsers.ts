// The browsers the web e2e test drives, behind one small page interface so that the same
// assertions run in each: Debian's chromium through playwright-core (CDP) and Debian's firefox-esr
// through puppeteer-core (WebDriver BiDi). Neither client downloads a browser; a browser missing
// from the machine is skipped with a warning (.ci/run installs both).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type BrowserName = 'chromium' | 'firefox';

export const BROWSER_PATHS: Readonly<Record<BrowserName, string>> = { chromium: '/usr/bin/chromium', firefox: '/usr/bin/firefox-esr' };

/** What the e2e test does with a page, whichever browser shows it. */
export interface TestPage {
  goto(url: string): Promise<void>;
  /** A function (no arguments), or an expression given as a string (awaited when a promise). */
  evaluate<T>(fn: (() => T | Promise<T>) | string): Promise<T>;
  waitForFunction(fn: () => unknown, timeoutMs: number): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
  focus(selector: string): Promise<void>;
  press(key: string): Promise<void>;
  textContent(selector: string): Promise<string | null>;
  getAttribute(selector: string, name: string): Promise<string | null>;
  isDisabled(selector: string): Promise<boolean>;
  count(selector: string): Promise<number>;
  screenshot(path: string): Promise<void>;
  setInputFiles(selector: string, file: { name: string; buffer: Buffer }): Promise<void>;
  close(): Promise<void>;
}

export interface TestBrowser {
  readonly name: BrowserName;
  readonly version: string;
  /** A page; `onRequest` sees every URL it requests, `onError` its uncaught errors. */
  newPage(onRequest: (url: string) => void, onError: (message: string) => void): Promise<TestPage>;
  close(): Promise<void>;
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The browsers installed here (a warning for each one missing). */
export function availableBrowsers(): BrowserName[] {
  return (Object.keys(BROWSER_PATHS) as BrowserName[]).filter((name) => {
    const ok = existsSync(BROWSER_PATHS[name]);
    if (!ok) console.warn(`web-e2e: ${BROWSER_PATHS[name]} missing (apt-get install ${name === 'firefox' ? 'firefox-esr' : 'chromium'}): ${name} tests skipped`);
    return ok;
  });
}

export async function launchBrowser(name: BrowserName): Promise<TestBrowser> {
  return name === 'chromium' ? launchChromium() : launchFirefox();
}

async function launchChromium(): Promise<TestBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: BROWSER_PATHS.chromium, args: CHROMIUM_ARGS });
  return {
    name: 'chromium',
    version: browser.version(),
    async newPage(onRequest, onError) {
      const page = await browser.newPage();
      page.on('request', (r) => onRequest(r.url()));
      page.on('pageerror', (e) => onError(String(e)));
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: <T>(fn: (() => T | Promise<T>) | string) => page.evaluate(fn as string) as Promise<T>,
        waitForFunction: async (fn, timeout) => void (await page.waitForFunction(fn, null, { timeout })),
        fill: (s, v) => page.fill(s, v),
        click: (s) => page.click(s),
        focus: (s) => page.focus(s),
        press: (key) => page.keyboard.press(key),
        textContent: (s) => page.textContent(s),
        getAttribute: (s, n) => page.getAttribute(s, n),
        isDisabled: (s) => page.isDisabled(s),
        count: (s) => page.locator(s).count(),
        screenshot: async (path) => void (await page.screenshot({ path, fullPage: true })),
        setInputFiles: (s, f) => page.setInputFiles(s, { name: f.name, mimeType: 'application/octet-stream', buffer: f.buffer }),
        close: () => page.close(),
      };
    },
    close: () => browser.close(),
  };
}

async function launchFirefox(): Promise<TestBrowser> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: BROWSER_PATHS.firefox, headless: true });
  const version = await browser.version();
  const uploads = mkdtempSync(join(tmpdir(), 'interphase-e2e-'));
  return {
    name: 'firefox',
    version,
    async newPage(onRequest, onError) {
      const page = await browser.newPage();
      page.on('request', (r) => onRequest(r.url()));
      page.on('pageerror', (e) => onError(String(e)));
      return {
        goto: async (url) => void (await page.goto(url)),
        evaluate: <T>(fn: (() => T | Promise<T>) | string) => page.evaluate(fn as string) as Promise<T>,
        waitForFunction: async (fn, timeout) => void (await page.waitForFunction(fn, { timeout, polling: 50 })),
        fill: (s, v) => page.locator(s).fill(v),
        click: (s) => page.click(s),
        focus: (s) => page.focus(s),
        press: (key) => page.keyboard.press(key as Parameters<typeof page.keyboard.press>[0]),
        textContent: (s) => page.$eval(s, (e) => e.textContent),
        getAttribute: (s, n) => page.$eval(s, (e, name) => e.getAttribute(name), n),
        isDisabled: (s) => page.$eval(s, (e) => (e as HTMLInputElement).disabled),
        count: async (s) => (await page.$$(s)).length,
        screenshot: async (path) => void (await page.screenshot({ path, fullPage: true })),
        async setInputFiles(s, f) {
          const dir = mkdtempSync(join(uploads, 'f-'));
          const path = join(dir, f.name);
          writeFileSync(path, f.buffer);
          const input = await page.$(s);
          if (!input) throw new Error(`no ${s} on the page`);
          await (input as unknown as { uploadFile(...paths: string[]): Promise<void> }).uploadFile(path);
        },
        close: () => page.close(),
      };
    },
    async close() {
      await browser.close();
      rmSync(uploads, { recursive: true, force: true });
    },
  };
}
