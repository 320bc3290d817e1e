import { describe, expect, it } from 'vitest';
import { describeBlock, screenNumber } from '../../../lib/dnc/screen.ts';
import {
  addLocalDoNotCall,
  allRecordsByNumber,
  applyCallEmAllOptOuts,
  recordUpcallDoNotCall,
  recordsFromSource,
  removeLocalDoNotCall,
} from '../../../lib/dnc/store.ts';

const NOW = Date.parse('2024-03-12T10:00:00Z');

describe('screenNumber', () => {
  it('lets an unknown number through', async () => {
    expect(await screenNumber('+16505550100')).toEqual({ blocked: false });
  });

  it('blocks a number on the local list, saying where and why', async () => {
    await addLocalDoNotCall('+16505550100', 'asked us to stop', NOW);
    expect(await screenNumber('+16505550100')).toEqual({
      blocked: true,
      reasons: [{ source: 'local', detail: 'your do-not-call list (added 2024-03-12: “asked us to stop”)' }],
    });
  });

  it('ignores the extension: do-not-call is about the line', async () => {
    await addLocalDoNotCall('+16505550100', undefined, NOW);
    expect((await screenNumber('+16505550100;ext=45')).blocked).toBe(true);
  });

  it('gives every source that lists the number, the local list first', async () => {
    await recordUpcallDoNotCall('+12145550199', { id: '1001', name: 'Spring renewals' }, NOW);
    await applyCallEmAllOptOuts({ upsert: [{ e164: '+12145550199', sourceDate: '2020-10-05 09:11:34-0500' }] }, NOW);
    await addLocalDoNotCall('+12145550199', undefined, NOW);
    const result = await screenNumber('+12145550199');
    expect(result.blocked && result.reasons.map((r) => r.detail)).toEqual([
      'your do-not-call list (added 2024-03-12)',
      'Call-Em-All opt-outs (opted out 2020-10-05)',
      'Upcall marked it do-not-call in Spring renewals (seen 2024-03-12)',
    ]);
    expect(describeBlock('+1 214-555-0199', result.blocked ? result.reasons : [])).toMatch(
      /^\+1 214-555-0199 is on the do-not-call list: your do-not-call list .*; Call-Em-All opt-outs .*; Upcall marked it .*\.$/,
    );
  });

  it('stops blocking once the user removes a number from the local list', async () => {
    await addLocalDoNotCall('+16505550100', undefined, NOW);
    expect(await removeLocalDoNotCall('+16505550100')).toBe(true);
    expect(await removeLocalDoNotCall('+16505550100')).toBe(false);
    expect(await screenNumber('+16505550100')).toEqual({ blocked: false });
  });
});

describe('applyCallEmAllOptOuts', () => {
  it('replaces the whole source on a full sync and edits it on an incremental one', async () => {
    await addLocalDoNotCall('+19725552000', undefined, NOW);
    expect(
      await applyCallEmAllOptOuts({ replace: true, upsert: [{ e164: '+19725552000' }, { e164: '+19725552001' }] }, NOW),
    ).toBe(2);
    expect(await applyCallEmAllOptOuts({ upsert: [{ e164: '+19725552002' }], remove: ['+19725552000'] }, NOW + 1)).toBe(
      2,
    );
    expect((await recordsFromSource('callemall-optout')).map((r) => r.e164).sort()).toEqual([
      '+19725552001',
      '+19725552002',
    ]);
    expect(await applyCallEmAllOptOuts({ replace: true, upsert: [{ e164: '+19725552003' }] }, NOW + 2)).toBe(1);
    // The local list is another source: untouched by Call-Em-All syncs.
    const all = await allRecordsByNumber();
    expect([...all.keys()].sort()).toEqual(['+19725552000', '+19725552003']);
    expect(all.get('+19725552000')!.map((r) => r.source)).toEqual(['local']);
  });
});
