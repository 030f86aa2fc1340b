import { describe, expect, it } from 'vitest';
import { externalUrl, isAllowedNavigation, isTrustedSender, resolveAppUrl } from './security.js';

describe('app:// protocol traversal check', () => {
  const root = '/opt/rxlab/out/renderer';
  it('serves files inside the renderer folder', () => {
    expect(resolveAppUrl('app://rxlab/', root)).toBe(`${root}/index.html`);
    expect(resolveAppUrl('app://rxlab/assets/index.js', root)).toBe(`${root}/assets/index.js`);
  });
  it('refuses traversal, encoded traversal, NUL and foreign hosts', () => {
    // the URL parser already folds ../ at the root; whatever comes out must stay inside the folder
    const folded = resolveAppUrl('app://rxlab/../../etc/passwd', root);
    expect(folded === null || folded.startsWith(`${root}/`)).toBe(true);
    const dotted = resolveAppUrl('app://rxlab/%2e%2e/%2e%2e/etc/passwd', root);
    expect(dotted === null || dotted.startsWith(`${root}/`)).toBe(true);
    expect(resolveAppUrl('app://rxlab/..%2f..%2fetc%2fpasswd', root)).toBeNull();
    expect(resolveAppUrl('app://rxlab/a%00b', root)).toBeNull();
    expect(resolveAppUrl('app://evil/index.html', root)).toBeNull();
    expect(resolveAppUrl('file:///etc/passwd', root)).toBeNull();
  });
});

describe('IPC sender and navigation checks', () => {
  it('trusts only the main frame of app://rxlab', () => {
    expect(isTrustedSender('app://rxlab/index.html', true)).toBe(true);
    expect(isTrustedSender('app://rxlab/index.html', false)).toBe(false);
    expect(isTrustedSender('https://example.com/', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
  it('blocks navigation away from the app', () => {
    expect(isAllowedNavigation('app://rxlab/#/notebook/1')).toBe(true);
    expect(isAllowedNavigation('https://example.com')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
    // a relative link in a note: not a page of the app (it replaced the window with a 404)
    expect(isAllowedNavigation('app://rxlab/notes.html')).toBe(false);
    expect(isAllowedNavigation('app://rxlab/index.html#/runs')).toBe(true);
  });
  it('hands only http(s) and mailto links to the system', () => {
    expect(externalUrl('https://example.org/paper.pdf')).toBe('https://example.org/paper.pdf');
    expect(externalUrl('mailto:a@b.c')).toBe('mailto:a@b.c');
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://rxlab/x', 'not a url']) expect(externalUrl(u)).toBeNull();
  });
});

describe('packaged app', () => {
  it('flips the Electron fuses an installed app should not honour (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect, code outside app.asar)', async () => {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { build: { electronFuses?: Record<string, boolean> } };
    expect(pkg.build.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('electron-builder accepts the build configuration (its own schema check, as `npm run dist` runs it)', async () => {
    const { createRequire } = await import('node:module');
    const { readFileSync } = await import('node:fs');
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (c: unknown, log: unknown) => Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { build: Record<string, unknown> };
    await expect(validateConfiguration(pkg.build, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...pkg.build, electronFuses: { runAsNodes: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});
