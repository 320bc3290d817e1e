/**
 * `npm run demo`: builds the extension (e2e build: it may reach the loopback sandbox without a
 * permission prompt), starts the sandbox, and opens Chromium with the extension configured for
 * the sandbox and the demo CRM page open.
 *
 * With a display it stays open until you close the browser (or press Ctrl+C). Without one it runs
 * headless, walks through the options page and the demo pages, and writes screenshots to
 * demo-output/.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { contactAt } from '../sandbox/demo/data.ts';
import { startSandbox } from '../sandbox/server.ts';
import { createHelpers, launchWithExtension, serviceWorkerOf } from '../test/e2e/extension.ts';

const root = resolve(import.meta.dirname, '..');
const outputDir = join(root, 'demo-output');
const headed = Boolean(process.env.DISPLAY) && process.env.DEMO_HEADLESS !== '1';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

console.log('Building the extension (npm run build:e2e)…');
run('npm', ['run', '--silent', 'build:e2e']);

const sandbox = await startSandbox({ port: Number(process.env.SANDBOX_PORT ?? 5178) });
console.log(`Sandbox: ${sandbox.url} (demo CRM at ${sandbox.url}/demo/)`);
const profile = await mkdtemp(join(tmpdir(), 'crm-companion-demo-'));
const context = await launchWithExtension(profile, undefined, !headed);

const cleanup = async () => {
  await context.close().catch(() => undefined);
  await sandbox.close();
  await rm(profile, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(0)));

try {
  const worker = await serviceWorkerOf(context);
  const extensionId = new URL(worker.url()).host;
  const extension = createHelpers(context, extensionId, sandbox.url);
  await extension.configureSandbox();
  console.log('Every service is configured for the sandbox.');

  const crmPage = await context.newPage();
  await crmPage.goto(`${sandbox.url}/demo/contacts/${contactAt(0).id}`);

  if (headed) {
    console.log('Chromium is open with the demo CRM page. Close the browser window to stop.');
    await new Promise<void>((resolvePromise) => context.on('close', () => resolvePromise()));
  } else {
    await mkdir(outputDir, { recursive: true });
    const shots: string[] = [];
    const shoot = async (page: typeof crmPage, name: string) => {
      const path = join(outputDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      shots.push(path);
    };

    const options = await extension.openOptions();
    await options.setViewportSize({ width: 900, height: 900 });
    for (const service of ['crm', 'upcall', 'sipcaller', 'callemall', 'multisender']) {
      await options.locator(`#section-${service}`).getByRole('button', { name: 'Test connection' }).click();
      await options.getByTestId(`${service}-connection`).filter({ hasText: /\S/ }).waitFor();
      await options.getByTestId(`${service}-connection`).filter({ hasNotText: 'Testing' }).waitFor();
    }
    await shoot(options, '01-options');

    await crmPage.bringToFront();
    await crmPage.waitForSelector('[data-e164]', { timeout: 15_000 }).catch(() => undefined);
    await shoot(crmPage, '02-contact-record');

    const list = await context.newPage();
    await list.goto(`${sandbox.url}/demo/contacts?rows=200`);
    await list.waitForSelector('[data-e164]', { timeout: 15_000 }).catch(() => undefined);
    await list.screenshot({ path: join(outputDir, '03-contact-list.png') });
    shots.push(join(outputDir, '03-contact-list.png'));

    const popup = await extension.openPopup(await extension.tabIdOf(crmPage));
    await popup.setViewportSize({ width: 440, height: 640 });
    await popup.waitForLoadState('networkidle');
    await shoot(popup, '04-popup');

    console.log('Screenshots written:');
    for (const shot of shots) console.log(`  ${shot}`);
  }
} finally {
  await cleanup();
}
