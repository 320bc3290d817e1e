import { describe, expect, it } from 'vitest';
import { clipboardText, fromDataE164, isE164, toDataE164 } from '../../../lib/phone/e164.ts';

describe('data-e164', () => {
  it('writes the extension as RFC 3966 does and reads it back', () => {
    expect(toDataE164({ e164: '+16505550100' })).toBe('+16505550100');
    expect(toDataE164({ e164: '+16505550100', extension: '45' })).toBe('+16505550100;ext=45');
    expect(fromDataE164('+16505550100;ext=45')).toEqual({ e164: '+16505550100', extension: '45' });
    expect(fromDataE164('+442079460018')).toEqual({ e164: '+442079460018' });
  });

  it('rejects anything else', () => {
    for (const bad of ['16505550100', '+0123', '+1650;ext=', '+1650;ext=4a', '+1;ext=1;ext=2', '']) {
      expect(fromDataE164(bad)).toBeUndefined();
    }
    expect(isE164('+1234567890123456')).toBe(false);
  });

  it('copies the extension in words', () => {
    expect(clipboardText({ e164: '+16505550100', extension: '45' })).toBe('+16505550100 ext. 45');
    expect(clipboardText({ e164: '+16505550100' })).toBe('+16505550100');
  });
});
