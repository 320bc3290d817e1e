import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createClickToCallHandlers } from '../../../lib/background/click-to-call-handlers.ts';
import { createFollower } from '../../../lib/click-to-call/follow.ts';
import type { SenderContext } from '../../../lib/messaging.ts';
import { storeSettings } from '../../../lib/settings-storage.ts';
import { settingsSchema } from '../../../lib/settings.ts';
import { SANDBOX_CREDENTIALS, SERVICE_PREFIXES } from '../../../sandbox/credentials.ts';
import { useSandbox } from '../../support/sandbox.ts';

const sandbox = useSandbox();
const ctx: SenderContext = {
  kind: 'extension',
  origin: 'chrome-extension://x',
  url: 'chrome-extension://x/options.html',
};
let handlers: ReturnType<typeof createClickToCallHandlers>;

const draft = () => ({
  baseUrl: `${sandbox.current.url}${SERVICE_PREFIXES.multisender}/`,
  token: SANDBOX_CREDENTIALS.multisender.token,
});

beforeEach(async () => {
  (fakeBrowser.permissions as unknown as Record<string, unknown>).contains = async () => true;
  // Nothing saved yet: the options page sends what is typed.
  await storeSettings(settingsSchema.parse({}));
  const follower = createFollower({
    config: () => Promise.reject(new Error('unused')),
    notify: async () => undefined,
    schedule: async () => undefined,
    now: Date.now,
  });
  handlers = createClickToCallHandlers(follower);
});

describe('voice files for the options page', () => {
  it('lists voice files and voice codes with the values typed but not saved', async () => {
    const files = await handlers['multisender/voice-files']({ draft: draft() }, ctx);
    expect(files).toEqual([
      { voiceFileId: '101', name: 'Callback request (EN)', duration: 9, status: 'ready' },
      { voiceFileId: '102', name: 'Takaisinsoittopyyntö (FI)', duration: 8, status: 'ready' },
      { voiceFileId: '103', name: 'Holiday greeting', duration: 0, status: 'pending' },
      { voiceFileId: '104', name: 'Old upload', duration: 0, status: 'failed' },
    ]);
    const codes = await handlers['multisender/voice-codes']({ draft: draft() }, ctx);
    expect(codes[0]).toEqual({ voiceCode: 'en-US-female', description: 'English (US), female' });
    expect(
      sandbox.current.requests.every((r) => r.headers['x-access-token'] === SANDBOX_CREDENTIALS.multisender.token),
    ).toBe(true);
  });

  it('without a draft, uses the saved settings, and says what is missing', async () => {
    await expect(handlers['multisender/voice-files']({}, ctx)).rejects.toThrow(
      'Multisender is not set up: missing base URL, access token. Open options to add it.',
    );
    await expect(handlers['multisender/voice-files']({ draft: { baseUrl: 'ftp://x' } }, ctx)).rejects.toThrow(
      /the base URL must be a full https:\/\/ address/,
    );
  });

  it('text to speech: checked here first (80 words), then pending until Multisender has spoken it', async () => {
    const tooLong = await handlers['multisender/text-to-speech'](
      { draft: draft(), name: ' ', text: Array.from({ length: 81 }, () => 'word').join(' '), voiceCode: '' },
      ctx,
    );
    expect(tooLong).toEqual({
      ok: false,
      errors: {
        name: 'Give the voice file a name.',
        text: '81 words: Multisender speaks at most 80.',
        voiceCode: 'Choose a voice.',
      },
      sentence: 'Nothing was sent: fix the highlighted fields.',
    });
    expect(sandbox.current.requests).toEqual([]);

    const created = await handlers['multisender/text-to-speech'](
      { draft: draft(), name: 'Callback EN', text: 'Hello, press 5 to talk to us.', voiceCode: 'en-US-male' },
      ctx,
    );
    expect(created).toMatchObject({ ok: true, file: { name: 'Callback EN', status: 'pending' } });
    if (!created.ok) return;
    const id = created.file.voiceFileId;
    sandbox.current.simulators.find((s) => s.id === 'multisender')!.control!('voice-ready', { voiceFileId: id });
    expect(await handlers['multisender/voice-file']({ draft: draft(), voiceFileId: id }, ctx)).toMatchObject({
      status: 'ready',
      duration: 3,
    });

    const unknownVoice = await handlers['multisender/text-to-speech'](
      { draft: draft(), name: 'X', text: 'Hello', voiceCode: 'xx-XX' },
      ctx,
    );
    expect(unknownVoice).toEqual({
      ok: false,
      errors: {},
      sentence:
        'Multisender refused the request (422): Unknown voice code. (voiceCode: Use one of en-US-female, en-US-male, en-GB-female, fi-FI-female, fi-FI-male, sv-SE-female.).',
    });
  });
});
