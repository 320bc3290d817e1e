import { describe, expect, it } from 'vitest';
import { allTableZones, timeZonesForNumber } from '../../lib/phone-timezones.ts';

describe('timeZonesForNumber', () => {
  it('names every zone in a form Intl knows', () => {
    for (const zone of allTableZones()) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone }), zone).not.toThrow();
    }
  });

  it('reads US and Canadian area codes', () => {
    expect(timeZonesForNumber('+16505550100')).toMatchObject({
      timeZone: 'America/Los_Angeles',
      place: 'California',
      basis: 'area code 650',
      country: 'US',
    });
    expect(timeZonesForNumber('+12125550147').timeZone).toBe('America/New_York');
    expect(timeZonesForNumber('+13125550100').timeZone).toBe('America/Chicago');
    expect(timeZonesForNumber('+13035550100').timeZone).toBe('America/Denver');
    expect(timeZonesForNumber('+16025550100').timeZone).toBe('America/Phoenix');
    expect(timeZonesForNumber('+19155550100').timeZone).toBe('America/Denver');
    expect(timeZonesForNumber('+14165550100')).toMatchObject({ timeZone: 'America/Toronto', country: 'CA' });
    expect(timeZonesForNumber('+16045550100').timeZone).toBe('America/Vancouver');
    expect(timeZonesForNumber('+18765550100').timeZone).toBe('America/Jamaica');
  });

  it('gives every zone of an area code that spans several, and no single zone', () => {
    const panhandle = timeZonesForNumber('+18505550100');
    expect(panhandle.timeZone).toBeUndefined();
    expect(panhandle.candidates).toEqual(['America/New_York', 'America/Chicago']);
    expect(panhandle.basis).toBe('area code 850');
    // Issue 12: area codes that were read as one zone though a part of them keeps another.
    expect(timeZonesForNumber('+16205550100').candidates).toEqual(['America/Chicago', 'America/Denver']);
    expect(timeZonesForNumber('+19075550100').candidates).toEqual(['America/Anchorage', 'America/Adak']);
    expect(timeZonesForNumber('+17095550100').candidates).toEqual(['America/St_Johns', 'America/Goose_Bay']);
    expect(timeZonesForNumber('+19285550100').candidates).toEqual(['America/Phoenix', 'America/Denver']);
    // Overlays share their parent's zones, split or not.
    expect(timeZonesForNumber('+14585550100').candidates).toEqual(timeZonesForNumber('+15415550100').candidates);
    expect(timeZonesForNumber('+12275550100')).toMatchObject({ timeZone: 'America/New_York', place: 'Maryland' });
  });

  it('uses the country for single-zone countries', () => {
    expect(timeZonesForNumber('+442079460123')).toMatchObject({
      timeZone: 'Europe/London',
      country: 'GB',
      place: 'the United Kingdom',
    });
    expect(timeZonesForNumber('+493090181234')).toMatchObject({ timeZone: 'Europe/Berlin', place: 'Germany' });
    expect(timeZonesForNumber('+33142681234').timeZone).toBe('Europe/Paris');
  });

  it('settles some multi-zone countries by geographic prefix', () => {
    expect(timeZonesForNumber('+61293741234')).toMatchObject({ timeZone: 'Australia/Sydney', basis: '+61 2' });
    expect(timeZonesForNumber('+34928123456').timeZone).toBe('Atlantic/Canary');
    expect(timeZonesForNumber('+34912345678').timeZone).toBe('Europe/Madrid');
  });

  it('says nothing it does not know: mobiles of multi-zone countries, unknown area codes', () => {
    expect(timeZonesForNumber('+61412345678')).toEqual({ candidates: [], country: 'AU' });
    expect(timeZonesForNumber('+5511987654321').candidates).toEqual([]);
    // 800 is toll-free: not a place.
    expect(timeZonesForNumber('+18005551234').candidates).toEqual([]);
    expect(timeZonesForNumber('not a number').candidates).toEqual([]);
  });
});
