import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ServiceError, type Failure } from '../../lib/errors.ts';
import { parseRetryAfter, request } from '../../lib/http.ts';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (route) route(req, res);
    else {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'nothing here' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function json(status: number, body: unknown, headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error.failure;
    throw error;
  }
  throw new Error('expected a ServiceError');
}

const items = z.object({ items: z.array(z.number()) });

describe('request', () => {
  it('returns the validated body', async () => {
    routes.set('/ok', json(200, { items: [1, 2], extra: 'ignored' }));
    const response = await request({ service: 'Test', url: `${base}/ok`, schema: items });
    expect(response.data).toEqual({ items: [1, 2] });
    expect(response.status).toBe(200);
  });

  it('sends JSON bodies with their content type and our headers', async () => {
    let seen: { body: string; headers: IncomingMessage['headers'] } | undefined;
    routes.set('/echo', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { body, headers: req.headers };
        res.writeHead(204);
        res.end();
      });
    });
    await request({ service: 'Test', method: 'POST', url: `${base}/echo`, json: { a: 1 }, headers: { 'X-Access-Token': 't' } });
    expect(seen?.body).toBe('{"a":1}');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['x-access-token']).toBe('t');
    expect(seen?.headers.accept).toBe('application/json');
  });

  it('a header it cannot carry (a pasted zero-width space in a token) is a setup problem, not "offline", and nothing is sent', async () => {
    const failure = await failureOf(
      request({ service: 'Test', method: 'POST', url: `${base}/echo`, json: {}, headers: { Authorization: 'Token token=ab\u200bc' } }),
    );
    expect(failure).toMatchObject({ kind: 'not-configured', service: 'Test' });
    expect(failure.message).toMatch(/cannot carry \(Authorization\); enter it again in options/);
  });

  it('classifies a body of the wrong shape as bad-response, naming the field', async () => {
    routes.set('/wrong', json(200, { items: ['a'] }));
    const failure = await failureOf(request({ service: 'Test', url: `${base}/wrong`, schema: items }));
    expect(failure).toMatchObject({ kind: 'bad-response', service: 'Test', host: new URL(base).host });
    expect(failure.message).toContain('items.0');
  });

  it('says when a service answers with an HTML page', async () => {
    routes.set('/html', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><html><body>Maintenance</body></html>');
    });
    const failure = await failureOf(request({ service: 'Test', url: `${base}/html`, schema: items }));
    expect(failure).toMatchObject({ kind: 'bad-response', message: 'an HTML page instead of JSON' });
  });

  it('refuses bodies over the limit, declared or streamed', async () => {
    routes.set('/declared', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2000' });
      res.end('x'.repeat(2000));
    });
    routes.set('/streamed', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 0; i < 20; i += 1) res.write('y'.repeat(100));
      res.end();
    });
    for (const path of ['/declared', '/streamed']) {
      const failure = await failureOf(request({ service: 'Test', url: `${base}${path}`, schema: items, maxBytes: 1000 }));
      expect(failure).toMatchObject({ kind: 'bad-response', message: 'the answer is too large', service: 'Test' });
    }
  });

  it('refuses to follow redirects', async () => {
    routes.set('/moved', (_req, res) => {
      res.writeHead(302, { Location: 'https://evil.example/steal' });
      res.end();
    });
    const failure = await failureOf(request({ service: 'Test', url: `${base}/moved`, schema: items }));
    expect(failure).toMatchObject({ kind: 'redirect', status: 302 });
  });

  it('classifies statuses, with the service message and Retry-After', async () => {
    const extract = (body: unknown) => (body as { message?: string }).message;
    routes.set('/401', json(401, { message: 'bad token' }));
    routes.set('/403', json(403, { message: 'no access' }));
    routes.set('/408', json(408, {}));
    routes.set('/422', json(422, { message: 'phone is invalid' }));
    routes.set('/429', json(429, {}, { 'Retry-After': '7' }));
    routes.set('/503', json(503, { message: 'down' }, { 'Retry-After': '2' }));
    const cases: [string, Partial<Failure>][] = [
      ['/401', { kind: 'auth', status: 401, message: 'bad token' }],
      ['/403', { kind: 'auth', status: 403 }],
      ['/404', { kind: 'not-found', status: 404, message: 'nothing here' }],
      ['/408', { kind: 'timeout', status: 408, mayHaveReached: true }],
      ['/422', { kind: 'invalid', status: 422, message: 'phone is invalid' }],
      ['/429', { kind: 'rate-limited', status: 429, retryAfterMs: 7000 }],
      ['/503', { kind: 'server', status: 503, retryAfterMs: 2000, mayHaveReached: true, message: 'down' }],
    ];
    for (const [path, expected] of cases) {
      const failure = await failureOf(
        request({ service: 'Test', method: 'POST', url: `${base}${path}`, json: {}, schema: items, errorMessage: extract }),
      );
      expect(failure, path).toMatchObject(expected);
    }
  });

  it('times out, and says a write may have reached the service', async () => {
    routes.set('/slow', (_req, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end('{}');
      }, 2000);
    });
    const failure = await failureOf(
      request({ service: 'Test', method: 'POST', url: `${base}/slow`, json: {}, timeoutMs: 100 }),
    );
    expect(failure).toMatchObject({ kind: 'timeout', mayHaveReached: true });
  });

  it('tells a cancelled request from a timeout', async () => {
    routes.set('/slow2', (_req, res) => {
      setTimeout(() => res.end('{}'), 2000);
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const failure = await failureOf(request({ service: 'Test', url: `${base}/slow2`, signal: controller.signal }));
    expect(failure.kind).toBe('cancelled');
  });

  it('reports an unreachable host as offline, and a dropped write as may-have-reached', async () => {
    const refused = await failureOf(request({ service: 'Test', url: 'http://127.0.0.1:9/x', schema: items }));
    expect(refused).toMatchObject({ kind: 'offline', host: '127.0.0.1:9', mayHaveReached: false });

    routes.set('/drop', (req) => req.socket.destroy());
    const dropped = await failureOf(request({ service: 'Test', method: 'POST', url: `${base}/drop`, json: {} }));
    expect(dropped).toMatchObject({ kind: 'offline', mayHaveReached: true });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
