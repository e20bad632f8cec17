/**
 * The browser-suite harness: starts the real server (the built web app + API) as a child process on a
 * free port with its own temp data dir, launches Debian's Chromium through playwright-core, and watches
 * every page for CSP violations, uncaught errors and dialogs (a stored-XSS payload that ran would open one).
 */
import { AxeBuilder } from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../apps/server/src/test/processes.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
const WEB_DIST = join(ROOT, 'apps', 'web', 'dist');

export interface RunningServer {
  url: string;
  logs: () => string;
  /** Stops the process (SIGTERM) but keeps its data dir, so `start()` brings the same server back. */
  halt: () => Promise<void>;
  /** Starts the process again on the same port with the same database and secrets; waits for /readyz. */
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/** `extraEnv` overrides the defaults below; a value of `undefined` removes that variable (e.g. `APP_URL`). */
export async function startServer(extraEnv: Record<string, string | undefined> = {}): Promise<RunningServer> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error('apps/web/dist is missing: run `npm run build` before the browser suite.');
  const dataDir = mkdtempSync(join(tmpdir(), 'qc-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    TZ: process.env.TZ ?? 'UTC',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    APP_URL: url,
    DATA_DIR: dataDir,
    WEB_DIST_DIR: WEB_DIST,
    DATABASE_ENCRYPTION_KEY: 'e2e-db-key-0123456789abcdefghijklmnopqrstuvwxyz',
    SESSION_SECRET: 'e2e-session-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    FIELD_ENCRYPTION_KEY: 'e2e-field-key-0123456789abcdefghijklmnopqrstuvwxyz',
    BACKUP_KEY: 'e2e-backup-key-0123456789abcdefghijklmnopqrstuvwxyz',
    RATE_LIMITS: 'off',
    REGISTRATION: 'open',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/index.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
    // Bounded wait for readiness: the process migrates a fresh database first.
    for (let i = 0; i < 300; i++) {
      if (proc.exitCode !== null) throw new Error(`server exited during start:\n${output}`);
      try {
        const res = await fetch(`${url}/readyz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (i === 299) throw new Error(`server did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const halt = async () => {
    const proc = child;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const force = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
  };

  await launch();
  return {
    url,
    logs: () => output,
    halt,
    start: launch,
    stop: async () => {
      await halt();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What a page did that it never should: CSP violations, uncaught errors, dialogs (alert/confirm/prompt). */
export interface Watch {
  cspViolations: string[];
  pageErrors: string[];
  dialogs: string[];
  consoleErrors: string[];
}

export interface TestContext {
  context: BrowserContext;
  page: Page;
  watch: Watch;
}

export async function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<TestContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
  const watch: Watch = { cspViolations: [], pageErrors: [], dialogs: [], consoleErrors: [] };
  // Injected by the browser driver (not subject to the page's CSP); reports violations to the console.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP-VIOLATION ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const attach = (page: Page) => {
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('CSP-VIOLATION') || /Content Security Policy/i.test(text)) watch.cspViolations.push(text);
      else if (msg.type() === 'error') watch.consoleErrors.push(text);
    });
    page.on('pageerror', (err) => watch.pageErrors.push(err.message));
    page.on('dialog', (dialog) => {
      watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  };
  context.on('page', attach);
  const page = await context.newPage();
  return { context, page, watch };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

let counter = 0;
/** Unique, valid account data for one test user. */
export function newUserData(prefix = 'player') {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  return { email: `${prefix}-${tag}@example.test`, username: `${prefix}_${tag}`.slice(0, 32), password: `correct horse battery ${tag}` };
}

/**
 * Visible buttons and form controls smaller than 44×44 CSS px (WCAG 2.5.5, as the issue asks), described
 * as `TAG "label" W×H`; an empty list means every target is big enough.
 */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, [role=button], input:not([type=hidden]), select, textarea')]
      .filter((el) => el.offsetParent !== null && !el.closest('[aria-hidden=true]'))
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
      .map(
        ({ el, r }) =>
          `${el.tagName} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`,
      ),
  );
}

/**
 * The page's WCAG 2.1 AA violations found by axe, one line each (rule, help, elements); [] when none.
 * `disableRules` leaves named rules out; a caller that passes any says why next to the call.
 */
export async function axe(page: Page, options: { disableRules?: string[] } = {}): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const result = await (options.disableRules?.length ? builder.disableRules(options.disableRules) : builder).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
