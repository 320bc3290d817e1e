import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getAllSecrets, getMaskedSecrets, getSecrets, maskSecret, updateSecrets } from '../../lib/secrets.ts';

const TOKEN = 'upcall-token-abcdef-123456';

async function everyStorageArea(): Promise<string> {
  const areas = await Promise.all([
    fakeBrowser.storage.local.get(null),
    fakeBrowser.storage.sync.get(null),
    fakeBrowser.storage.session.get(null),
    fakeBrowser.storage.managed.get(null),
  ]);
  return JSON.stringify(areas);
}

describe('secrets', () => {
  it('are kept in IndexedDB, never in a storage area a content script can read', async () => {
    await updateSecrets({ upcall: { token: TOKEN }, crm: { apiKey: 'crm-key-0001' } });
    expect(await getSecrets('upcall')).toEqual({ token: TOKEN });
    expect(await everyStorageArea()).not.toContain(TOKEN);
    expect(await everyStorageArea()).not.toContain('crm-key-0001');
  });

  it('apply patches: a string replaces, null clears, absent keeps; report what changed', async () => {
    await updateSecrets({ callemall: { appKey: 'a', secretKey: 's', authToken: 't' } });
    const changed = await updateSecrets({ callemall: { secretKey: null, authToken: ' t2 ' }, upcall: {} });
    expect(changed).toEqual(['callemall']);
    expect(await getSecrets('callemall')).toEqual({ appKey: 'a', secretKey: '', authToken: 't2' });
    expect(await updateSecrets({ callemall: { appKey: 'a' } })).toEqual([]);
  });

  it('ignore fields a service does not have', async () => {
    await updateSecrets({ upcall: { token: 'x', password: 'leak' } as Record<string, string> });
    expect(await getSecrets('upcall')).toEqual({ token: 'x' });
  });

  it('are only ever shown masked', async () => {
    await updateSecrets({ upcall: { token: TOKEN }, multisender: { token: 'short' } });
    const masked = await getMaskedSecrets();
    expect(masked.upcall.token).toBe('••••3456');
    expect(masked.multisender.token).toBe('••••');
    expect(masked.crm.apiKey).toBe('');
    expect(JSON.stringify(masked)).not.toContain('abcdef');
    expect(maskSecret('')).toBe('');
    expect(Object.keys(await getAllSecrets())).toEqual(['upcall', 'sipcaller', 'callemall', 'multisender', 'crm']);
  });
});
