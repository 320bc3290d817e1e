/**
 * Service answers are data, not trust (issue 7). Every client (Upcall, SIP Caller, Call-Em-All,
 * Multisender, the CRM), configured the way the background configures it, talks to a local
 * server that answers everything badly: HTML pages (200, a proxy's 502, a login page's 401), JSON
 * of the wrong types or shape (with a `__proto__` key), cut-off JSON, bodies over the size limit
 * (declared and streamed), and redirects to another origin or elsewhere on the same one. Each call
 * must end in a typed ServiceError whose sentence carries no markup from the body: never a
 * crash, never a followed redirect, never a polluted prototype.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCall, listCalls } from '../../lib/crm/client.ts';
import { describeFailure, ServiceError, type Failure, type FailureKind } from '../../lib/errors.ts';
import { DEFAULT_MAX_BYTES } from '../../lib/http.ts';
import { listOptOuts } from '../../lib/providers/callemall.ts';
import { services } from '../../lib/providers/index.ts';
import { listVoiceFiles, startClickToCall } from '../../lib/providers/multisender.ts';
import type { ContactDetails } from '../../lib/providers/types.ts';
import { SERVICE_IDS, SERVICE_NAMES, type AllSecrets, type ServiceId } from '../../lib/services.ts';
import { settingsSchema } from '../../lib/settings.ts';
import { SERVICE_PREFIXES, sandboxSecrets, sandboxSettings } from '../../sandbox/credentials.ts';

type Answer = (res: ServerResponse) => void;

let server: Server;
let base = '';
let answer: Answer = () => undefined;
const paths: string[] = [];

const HUGE = Buffer.alloc(DEFAULT_MAX_BYTES + 64 * 1024, 'x');
const HTML_PAGE = '<!doctype html><html><head><title>Maintenance</title></head><body><h1>Back soon</h1><script>alert(1)</script><img src=x onerror=alert(2)></body></html>';

function send(status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): Answer {
  return (res) => {
    res.writeHead(status, { 'Content-Type': type, ...headers });
    res.end(body);
  };
}

interface Mode {
  name: string;
  expected: FailureKind[];
  /** The failure's message, where it tells this case apart from another bad-response. */
  message?: string;
  answer: () => Answer;
}

const MODES: Mode[] = [
  { name: 'an HTML page instead of JSON (200)', expected: ['bad-response'], message: 'an HTML page instead of JSON', answer: () => send(200, 'text/html', HTML_PAGE) },
  { name: "a proxy's HTML error page (502)", expected: ['server'], answer: () => send(502, 'text/html', HTML_PAGE) },
  { name: 'an HTML login page (401)', expected: ['auth'], answer: () => send(401, 'text/html', HTML_PAGE) },
  {
    name: 'JSON of the wrong types, with a __proto__ key',
    expected: ['bad-response'],
    answer: () =>
      send(
        200,
        'application/json',
        '{"__proto__":{"polluted":"yes"},"data":42,"items":"x","Items":7,"Size":"many","links":1,"meta":"m","id":[],"status":{},"voiceFiles":{},"calls":5}',
      ),
  },
  { name: 'JSON null', expected: ['bad-response'], answer: () => send(200, 'application/json', 'null') },
  { name: 'a JSON array of junk', expected: ['bad-response'], answer: () => send(200, 'application/json', '[1,"<b>x</b>",null,{"__proto__":{"polluted":"yes"}}]') },
  { name: 'cut-off JSON', expected: ['bad-response'], answer: () => send(200, 'application/json', '{"data":[{"id":"1","name":"Spr') },
  {
    name: 'a body over the size limit, declared',
    expected: ['bad-response'],
    message: 'the answer is too large',
    answer: () => send(200, 'application/json', HUGE, { 'Content-Length': String(HUGE.length) }),
  },
  {
    name: 'a body over the size limit, streamed without a length',
    expected: ['bad-response'],
    message: 'the answer is too large',
    answer: () => (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let offset = 0; offset < HUGE.length; offset += 256 * 1024) res.write(HUGE.subarray(offset, offset + 256 * 1024));
      res.end();
    },
  },
  {
    // localhost is another origin than 127.0.0.1, but the same server: a followed redirect would show up.
    name: 'a redirect to another origin (302)',
    expected: ['redirect'],
    answer: () => send(302, 'text/html', '<a href="/stolen">moved</a>', { Location: `${base.replace('127.0.0.1', 'localhost')}/stolen` }),
  },
  { name: 'a redirect to another site (301)', expected: ['redirect'], answer: () => send(301, 'text/plain', '', { Location: 'https://evil.example/steal' }) },
  { name: 'a redirect on the same origin (307)', expected: ['redirect'], answer: () => send(307, 'text/plain', '', { Location: `${base}/stolen` }) },
];

const CONTACT: ContactDetails = { e164: '+16505550100', firstName: 'Ada', lastName: 'Abbott', company: 'Globex', email: 'ada@globex.example' };

// What the background does with each service: its reads and its writes.
const OPERATIONS: [ServiceId, string, (config: never) => Promise<unknown>][] = [
  ['upcall', 'test connection', (c) => services.upcall.testConnection(c)],
  ['upcall', 'list campaigns', (c) => services.upcall.listCampaigns(c)],
  ['upcall', 'add a number', (c) => services.upcall.addNumber(c, '1001', CONTACT)],
  ['sipcaller', 'test connection', (c) => services.sipcaller.testConnection(c)],
  ['sipcaller', 'list campaigns', (c) => services.sipcaller.listCampaigns(c)],
  ['sipcaller', 'add a number', (c) => services.sipcaller.addNumber(c, 'cmp-101', CONTACT)],
  ['callemall', 'test connection', (c) => services.callemall.testConnection(c)],
  ['callemall', 'list lists', (c) => services.callemall.listCampaigns(c)],
  ['callemall', 'add a number', (c) => services.callemall.addNumber(c, '31', CONTACT)],
  ['callemall', 'read opt-outs', (c) => listOptOuts(c, {})],
  ['multisender', 'test connection', (c) => services.multisender.testConnection(c)],
  ['multisender', 'list voice files', (c) => listVoiceFiles(c)],
  ['multisender', 'place a click-to-call', (c) => startClickToCall(c, ['+16505550100'])],
  ['crm', 'test connection', (c) => services.crm.testConnection(c)],
  ['crm', 'log a call', (c) => createCall(c, { contactId: '5f0c1a2b3c4d5e6f70818283', callResult: 'conversation', text: 'Hi', date: '2024-03-01' })],
  ['crm', 'list calls', (c) => listCalls(c, { contactId: '5f0c1a2b3c4d5e6f70818283' })],
];

function configs(): Record<ServiceId, unknown> {
  const input = sandboxSettings(base);
  // A voice file, so the click-to-call is built and sent rather than refused before any request.
  const settings = settingsSchema.parse({ ...input, multisender: { ...input.multisender, voiceFileId: 'vf-1' } });
  const secrets: AllSecrets = sandboxSecrets();
  return Object.fromEntries(
    SERVICE_IDS.map((id) => {
      const resolved = services[id].resolveConfig(settings, secrets);
      if (!resolved.ok) throw new Error(`${id} is missing ${resolved.missing.join(', ')}`);
      return [id, resolved.config];
    }),
  ) as Record<ServiceId, unknown>;
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    paths.push(new URL(req.url ?? '/', 'http://x').pathname);
    req.resume();
    res.on('error', () => undefined);
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failureOf(run: () => Promise<unknown>): Promise<Failure | string> {
  try {
    const value = await run();
    return `resolved with ${JSON.stringify(value)?.slice(0, 200)}`;
  } catch (error) {
    return error instanceof ServiceError ? error.failure : `crashed: ${String(error)}`;
  }
}

describe('every client, given a bad answer', () => {
  it.each(MODES.map((mode) => [mode.name, mode] as const))('ends in a typed failure for %s', async (_name, mode) => {
    const config = configs();
    answer = mode.answer();
    const wrong: string[] = [];
    for (const [service, what, run] of OPERATIONS) {
      paths.length = 0;
      const failure = await failureOf(() => run(config[service] as never));
      const label = `${SERVICE_NAMES[service]} ${what}`;
      if (typeof failure === 'string') {
        wrong.push(`${label}: ${failure}`);
        continue;
      }
      if (!mode.expected.includes(failure.kind) || (mode.message !== undefined && failure.message !== mode.message)) {
        wrong.push(`${label}: ${failure.kind} (${failure.message ?? ''})`);
      }
      if (failure.service !== SERVICE_NAMES[service]) wrong.push(`${label}: named ${failure.service}`);
      // Nothing from the body's markup reaches the sentence the user reads.
      const sentence = describeFailure(failure);
      if (/[<>]|script|onerror/i.test(sentence)) wrong.push(`${label}: "${sentence}"`);
      // It asked its own service, once, and followed nothing.
      if (paths.length !== 1 || !paths[0]!.startsWith(SERVICE_PREFIXES[service])) wrong.push(`${label}: requested ${paths.join(', ')}`);
    }
    expect(wrong).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);
});
