/**
 * The sandbox: on one loopback port, a simulator of each service under its own prefix, demo CRM
 * pages under /demo/, and a control API under /__sandbox/ (reset, requests received, faults).
 * See ../shared/DESIGN.md "Contracts" and README "The sandbox".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleDemo } from './demo/index.ts';
import { FAULT_MODES, FaultInjector, type ChaosConfig, type FaultRule } from './faults.ts';
import { createSimulators } from './services/index.ts';
import type { ServiceSimulator, SimRequest, SimResponse } from './types.ts';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Defaults to all five simulators. */
  simulators?: ServiceSimulator[];
  /** Print each request to stdout. */
  verbose?: boolean;
  /**
   * Close every connection after its answer (`Connection: close`). Off by default: real services
   * and proxies keep connections alive, and Chromium re-sends a request whose reused connection
   * closes before any answer (a drop-after on a reused connection is a duplicate made beneath the
   * client). Only a test about fresh connections turns this on.
   */
  closeConnections?: boolean;
}

export interface RecordedRequest {
  seq: number;
  time: number;
  service: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the text (first 64 KiB). */
  body: unknown;
  /** The status answered, or 0 when the connection was dropped. */
  status: number;
  fault?: string;
  /** Whether the simulator handled (and so possibly committed) the request. */
  handled: boolean;
  /** The connection had carried an earlier request (keep-alive): a drop here may be re-sent by the browser. */
  reusedConnection: boolean;
  /** Which connection carried it (1, 2, …): requests on one socket share the number. */
  connection: number;
}

export interface Sandbox {
  url: string;
  port: number;
  simulators: ServiceSimulator[];
  faults: FaultInjector;
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

const MAX_BODY = 20 * 1024 * 1024;
const MAX_LOG = 100_000;
const LOGGED_HEADERS = ['authorization', 'content-type', 'accept', 'x-access-token', 'x-authentication-token'];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const simulators = options.simulators ?? createSimulators();
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;
  let url = '';

  const sandbox: Sandbox = {
    get url() {
      return url;
    },
    get port() {
      return Number(new URL(url).port);
    },
    simulators,
    faults,
    requests,
    reset() {
      for (const sim of simulators) sim.reset();
      faults.reset();
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
    },
  };

  const reply = (res: ServerResponse, answer: SimResponse) => send(res, answer, options.closeConnections === true);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[sandbox] handler crashed', error);
      if (!res.headersSent) reply(res, { status: 500, body: { error: 'sandbox crashed' } });
      else res.destroy();
    });
  });
  // Connections stay open between requests, as at any real service or proxy (Node's default keeps
  // an idle connection 5 s; real front ends keep it longer). A client that sends `Connection:
  // close` gets its connection closed after the answer, as HTTP/1.1 requires.
  server.keepAliveTimeout = options.closeConnections ? 0 : 30_000;
  server.headersTimeout = 35_000;
  let connections = 0;
  const socketInfo = new WeakMap<Socket, { id: number; requests: number }>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socketInfo.set(socket, { id: ++connections, requests: 0 });
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', url);
    const rawBody = await readBody(req);
    const path = requestUrl.pathname;

    if (path.startsWith('/__sandbox/')) {
      reply(res, control(req.method ?? 'GET', path.slice('/__sandbox'.length), requestUrl.searchParams, rawBody));
      return;
    }
    if (path === '/' || path === '/demo' || path.startsWith('/demo/')) {
      const page = handleDemo(path, requestUrl.searchParams, { sandboxUrl: url });
      reply(res, page ?? { status: 404, headers: { 'Content-Type': 'text/plain' }, body: 'No such demo page' });
      return;
    }

    const sim = simulators.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`));
    if (!sim) {
      reply(res, { status: 404, body: { error: `No simulator serves ${path}` } });
      return;
    }
    const method = req.method ?? 'GET';
    const subPath = path.slice(sim.prefix.length) || '/';
    const info = socketInfo.get(req.socket) ?? { id: 0, requests: 0 };
    info.requests += 1;
    const record: RecordedRequest = {
      seq: ++seq,
      time: Date.now(),
      service: sim.id,
      method,
      path: subPath,
      query: Object.fromEntries(requestUrl.searchParams),
      headers: Object.fromEntries(
        LOGGED_HEADERS.filter((h) => req.headers[h] !== undefined).map((h) => [h, String(req.headers[h])]),
      ),
      body: describeBody(rawBody, req.headers['content-type']),
      status: 0,
      handled: false,
      reusedConnection: info.requests > 1,
      connection: info.id,
    };
    if (requests.length >= MAX_LOG) requests.splice(0, requests.length - MAX_LOG + 1);
    requests.push(record);
    if (options.verbose) console.log(`[sandbox] ${method} ${path}`);

    const simRequest: SimRequest = {
      method,
      path: subPath,
      query: requestUrl.searchParams,
      headers: req.headers,
      rawBody,
      url: requestUrl,
      baseUrl: `${url}${sim.prefix}`,
    };

    const fault = faults.next({ service: sim.id, method, path: subPath });
    if (fault) record.fault = fault.mode;
    switch (fault?.mode) {
      case 'drop-before':
        res.socket?.destroy();
        return;
      case 'status':
        record.status = fault.status;
        reply(res, withRetryAfter(sim.errorResponse(fault.status, 'Injected failure'), fault.status, fault.retryAfter));
        return;
      case 'rate-limit':
        record.status = 429;
        reply(res, withRetryAfter(sim.errorResponse(429, 'Too many requests'), 429, fault.retryAfter));
        return;
      case 'delay':
      case 'slow-commit':
        // slow-commit: the service is slow to commit, and answers only after; a client that gave
        // up (timed out) before then cannot tell whether the write happened.
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        break;
      default:
        break;
    }

    const answer = await sim.handle(simRequest);
    record.handled = true;
    if (fault?.mode === 'drop-after') {
      res.socket?.destroy();
      return;
    }
    if (fault?.mode === 'status-after-commit') {
      record.status = fault.status;
      reply(res, withRetryAfter(sim.errorResponse(fault.status, 'Injected failure after commit'), fault.status, fault.retryAfter));
      return;
    }
    record.status = answer.status;
    reply(res, answer);
  }

  function control(method: string, path: string, query: URLSearchParams, rawBody: Buffer): SimResponse {
    let body: unknown;
    try {
      body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : {};
    } catch {
      return { status: 400, body: { error: 'control bodies are JSON' } };
    }
    const route = `${method} ${path}`;
    if (route === 'POST /reset') {
      sandbox.reset();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'GET /requests') {
      const service = query.get('service');
      const verb = query.get('method');
      const includes = query.get('pathIncludes');
      return {
        status: 200,
        body: {
          requests: requests.filter(
            (r) =>
              (!service || r.service === service) &&
              (!verb || r.method === verb.toUpperCase()) &&
              (!includes || r.path.includes(includes)),
          ),
        },
      };
    }
    if (route === 'DELETE /requests') {
      requests.length = 0;
      return { status: 200, body: { ok: true } };
    }
    if (route === 'GET /faults') return { status: 200, body: faults.describe() };
    if (route === 'POST /faults') {
      const rule = body as Partial<FaultRule>;
      if (!rule.mode || !FAULT_MODES.includes(rule.mode)) {
        return { status: 400, body: { error: `mode must be one of ${FAULT_MODES.join(', ')}` } };
      }
      faults.addRule({ count: 1, ...rule, mode: rule.mode });
      return { status: 200, body: faults.describe() };
    }
    if (route === 'DELETE /faults') {
      faults.reset();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'PUT /chaos') {
      const chaos = body as Partial<ChaosConfig>;
      const modes = chaos.modes ?? [];
      if (typeof chaos.rate !== 'number' || chaos.rate < 0 || chaos.rate > 1 || !modes.every((m) => FAULT_MODES.includes(m))) {
        return { status: 400, body: { error: 'rate is 0..1 and modes are fault modes' } };
      }
      faults.setChaos({ ...chaos, rate: chaos.rate, modes });
      return { status: 200, body: faults.describe() };
    }
    if (route === 'DELETE /chaos') {
      faults.setChaos(undefined);
      return { status: 200, body: { ok: true } };
    }
    const stateMatch = /^GET \/state\/([\w-]+)$/.exec(route);
    if (stateMatch) {
      const sim = simulators.find((s) => s.id === stateMatch[1]);
      return sim ? { status: 200, body: sim.state() } : { status: 404, body: { error: 'no such service' } };
    }
    const actionMatch = /^POST \/services\/([\w-]+)\/([\w-]+)$/.exec(route);
    if (actionMatch) {
      const sim = simulators.find((s) => s.id === actionMatch[1]);
      if (!sim?.control) return { status: 404, body: { error: 'no such service control' } };
      return sim.control(actionMatch[2]!, body);
    }
    return { status: 404, body: { error: `unknown control ${route}` } };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${options.host ?? '127.0.0.1'}:${address.port}`;
  return sandbox;
}

function withRetryAfter(response: SimResponse, status: number, retryAfter: number): SimResponse {
  const headers = { ...response.headers };
  if (status === 429 || status === 503) headers['Retry-After'] = String(retryAfter);
  return { ...response, status, headers };
}

function send(res: ServerResponse, answer: SimResponse, close = false): void {
  if (res.destroyed || res.socket?.destroyed) return;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...answer.headers };
  if (close) headers.Connection = 'close';
  let payload: string | Buffer | undefined;
  if (answer.body === undefined || answer.body === null) {
    payload = undefined;
  } else if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) {
    payload = answer.body;
    headers['Content-Type'] ??= 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(answer.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.destroy();
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function describeBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.subarray(0, 64 * 1024).toString('utf8');
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(raw.toString('utf8'));
    } catch {
      return text;
    }
  }
  return text;
}
