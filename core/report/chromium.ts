import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * The print engine for browser mode and the CLI: the system Chromium driven by playwright-core. (The
 * desktop app prints the same HTML with Electron's webContents.printToPDF instead.)
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(`Chromium not found at ${path}: install chromium: apt-get install -y chromium (or set CHROMIUM_PATH to a Chromium binary)`);
    this.name = 'ChromiumMissingError';
  }
}

export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/** `ownSignals`: the caller handles Ctrl+C and closes the browser itself (playwright would close it first). */
export async function launchChromium(opts: { ownSignals?: boolean } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new ChromiumMissingError(executablePath);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, ...(opts.ownSignals === true ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}) });
}

/** Runs `fn` with a fresh page that cannot run scripts or fetch anything; always closes the browser. */
export async function withPage<T>(
  fn: (page: import('playwright-core').Page, browser: Browser) => Promise<T>,
  opts: { viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {},
): Promise<T> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      offline: true,
      viewport: opts.viewport ?? { width: 1000, height: 800 },
      deviceScaleFactor: opts.deviceScaleFactor ?? 1,
    });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    return await fn(page, browser);
  } finally {
    await browser.close();
  }
}
