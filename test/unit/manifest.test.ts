/**
 * Least privilege, read off the built manifests: anything a build asks for that is not on these
 * allow-lists fails the test, so a new permission is always a deliberate change here.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { E2E_HOSTS, FIREFOX_ID } from '../../lib/manifest.ts';

const root = resolve(import.meta.dirname, '../..');
// declarativeNetRequestWithHostAccess: the fresh-connection rule (lib/background/fresh-connections.ts).
const ALLOWED_PERMISSIONS = [
  'activeTab',
  'alarms',
  'contextMenus',
  'declarativeNetRequestWithHostAccess',
  'notifications',
  'scripting',
  'storage',
];
const ALLOWED_KEYS = [
  'manifest_version', 'name', 'description', 'version', 'icons', 'permissions', 'optional_host_permissions',
  'host_permissions', 'externally_connectable', 'commands', 'background', 'action', 'options_ui',
  'browser_specific_settings', 'web_accessible_resources',
];

type Manifest = Record<string, unknown> & { permissions?: string[]; host_permissions?: string[] };

function build(script: string): void {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run ${script} failed:\n${result.stdout}\n${result.stderr}`);
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(resolve(root, '.output', dir, 'manifest.json'), 'utf8')) as Manifest;
}

beforeAll(() => {
  build('build');
  build('build:firefox');
  build('build:e2e');
}, 180_000);

describe.each([
  ['chrome-mv3', 'Chrome'],
  ['firefox-mv3', 'Firefox'],
])('the %s build', (dir) => {
  it('asks only for allow-listed permissions, and no host at install', () => {
    const m = manifest(dir);
    expect(m.manifest_version).toBe(3);
    expect([...(m.permissions ?? [])].sort()).toEqual(ALLOWED_PERMISSIONS);
    expect(m.host_permissions ?? []).toEqual([]);
    expect(m.optional_host_permissions).toEqual(['*://*/*']);
    expect(Object.keys(m).filter((key) => !ALLOWED_KEYS.includes(key))).toEqual([]);
  });

  it('declares no content script: detection is registered per site at run time', () => {
    expect(manifest(dir).content_scripts).toBeUndefined();
  });

  it('keeps the default content security policy (no eval, no remote code)', () => {
    expect(manifest(dir).content_security_policy).toBeUndefined();
  });

  it('exposes no extension page or script to web pages', () => {
    const resources = (manifest(dir).web_accessible_resources ?? []) as { resources: string[] }[];
    expect(resources.flatMap((r) => r.resources)).toEqual([]);
  });
});

describe('Chrome specifics', () => {
  it('lets no web page and no other extension connect', () => {
    expect(manifest('chrome-mv3').externally_connectable).toEqual({ ids: [], matches: [] });
  });

  it('only the e2e build grants the loopback hosts', () => {
    const e2e = manifest('chrome-mv3-e2e');
    expect(e2e.host_permissions).toEqual([...E2E_HOSTS]);
    expect(JSON.stringify(manifest('chrome-mv3'))).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});

describe('Firefox specifics', () => {
  it('has a gecko id, declares no data collection and uses an event page', () => {
    const m = manifest('firefox-mv3');
    expect(m.browser_specific_settings).toMatchObject({
      gecko: { id: FIREFOX_ID, data_collection_permissions: { required: ['none'] } },
    });
    expect(m.background).toEqual({ scripts: ['background.js'] });
    expect(m.externally_connectable).toBeUndefined();
  });

  it('passes web-ext lint with no errors', () => {
    const result = spawnSync('npx', ['web-ext', 'lint', '--source-dir', '.output/firefox-mv3', '--output', 'json'], {
      cwd: root,
      encoding: 'utf8',
    });
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
      summary: { errors: number };
      errors: { code: string; message: string }[];
    };
    expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  }, 120_000);
});
