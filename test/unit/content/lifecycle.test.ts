// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { currentDetection, startDetection } from '../../../lib/content/lifecycle.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

let configRequests = 0;
let invalidate: (() => void) | undefined;

/** The background's side: runtime.sendMessage from a content script reaches only the background. */
function answerConfig(reply: unknown) {
  fakeBrowser.runtime.sendMessage = (async (message: unknown) => {
    if ((message as { type?: string }).type === 'content/config') configRequests += 1;
    return reply;
  }) as typeof fakeBrowser.runtime.sendMessage;
}

/** tabs.sendMessage from the background or the popup: the content script's listener answers. */
async function toTab(message: unknown): Promise<unknown> {
  const answers = await fakeBrowser.runtime.onMessage.trigger(message, { id: fakeBrowser.runtime.id }, () => undefined);
  return answers.find((a) => a !== undefined);
}

async function run() {
  await startDetection({ doc: document, onInvalidated: (cb) => void (invalidate = cb) });
}

async function settle() {
  // Detection works in idle slices (setTimeout here: happy-dom has no requestIdleCallback).
  for (let i = 0; i < 20; i += 1) await tick();
}

beforeEach(() => {
  currentDetection()?.stop();
  configRequests = 0;
  invalidate = undefined;
  document.body.innerHTML = '<p>Call (650) 555-0100</p>';
  happyDOM.setURL('https://crm.example.com/contacts/1');
});

declare const happyDOM: { setURL(url: string): void };

describe('startDetection', () => {
  it('starts once per frame even when injected twice', async () => {
    answerConfig({ ok: true, value: { defaultCountry: 'US', ignored: [] } });
    await Promise.all([run(), run()]);
    await run();
    await settle();
    expect(configRequests).toBe(1);
    expect(document.querySelectorAll('crm-companion-number')).toHaveLength(1);
  });

  it('stops when the background turns its site off, and may start again later', async () => {
    answerConfig({ ok: true, value: { defaultCountry: 'US', ignored: [] } });
    await run();
    await settle();
    await toTab({ type: 'detection/stop', sites: ['https://other.example.org'] });
    expect(document.querySelectorAll('crm-companion-number')).toHaveLength(1);
    await toTab({ type: 'detection/stop', sites: ['https://crm.example.com'] });
    expect(document.querySelectorAll('crm-companion-number')).toHaveLength(0);
    expect(document.body.innerHTML).toBe('<p>Call (650) 555-0100</p>');
    expect(currentDetection()).toBeUndefined();
    await run();
    await settle();
    expect(document.querySelectorAll('crm-companion-number')).toHaveLength(1);
  });

  it('answers its status to extension pages', async () => {
    answerConfig({ ok: true, value: { defaultCountry: 'US', ignored: [] } });
    await run();
    await settle();
    const status = await toTab({ type: 'detection/status' });
    expect(status).toEqual({ settled: true, numbers: [{ e164: '+16505550100', label: '(650) 555-0100' }] });
  });

  it('stays out of the way when the background refuses (site not enabled)', async () => {
    answerConfig(undefined);
    await run();
    await settle();
    expect(document.querySelectorAll('crm-companion-number')).toHaveLength(0);
    expect(currentDetection()).toBeUndefined();
  });

  it('cleans up when the extension context goes away', async () => {
    answerConfig({ ok: true, value: { defaultCountry: 'US', ignored: [] } });
    await run();
    await settle();
    invalidate!();
    expect(document.querySelectorAll('crm-companion-number')).toHaveLength(0);
  });
});
