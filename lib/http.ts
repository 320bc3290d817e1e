/**
 * The one fetch wrapper every service client uses: a timeout, no cross-origin redirects, a cap
 * on body size, response bodies validated with zod, and failures classified into `Failure`
 * values (see lib/errors.ts) that the outbox and the UI act on.
 */
import type { z } from 'zod';
import { ServiceError, type Failure } from './errors.ts';
import { isSendableHeaderValue } from './header-safe.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest<T> {
  /** The service's name as users know it ("Upcall"), used in error sentences. */
  service: string;
  method?: HttpMethod;
  url: string | URL;
  headers?: Record<string, string>;
  /** A JSON body; sets Content-Type: application/json. */
  json?: unknown;
  /** A raw body (e.g. FormData for a multipart upload). */
  body?: BodyInit;
  /** Validates the parsed JSON answer. Without it the body is not read. */
  schema?: z.ZodType<T>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Pulls the service's own message out of an error envelope. */
  errorMessage?: (body: unknown) => string | undefined;
  maxBytes?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export async function request<T = undefined>(req: HttpRequest<T>): Promise<HttpResponse<T>> {
  const url = new URL(req.url);
  const method = req.method ?? 'GET';
  const base: Pick<Failure, 'service' | 'host'> = { service: req.service, host: url.host };
  // A write whose answer we never saw may still have been applied by the service.
  const writes = method !== 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  let body = req.body;
  if (req.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(req.json);
  }
  // `fetch` throws on such a header as it would on a network error: say what it is instead.
  const unsendable = Object.keys(headers).find((name) => !isSendableHeaderValue(headers[name]!));
  if (unsendable) {
    throw new ServiceError({
      ...base,
      kind: 'not-configured',
      message: `a saved credential holds a character a request header cannot carry (${unsendable}); enter it again in options`,
    });
  }
  const timeout = AbortSignal.timeout(req.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;

  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, signal, redirect: 'manual', credentials: 'omit' });
  } catch (error) {
    if (req.signal?.aborted) throw new ServiceError({ ...base, kind: 'cancelled' });
    if (timeout.aborted) throw new ServiceError({ ...base, kind: 'timeout', mayHaveReached: writes });
    throw new ServiceError({ ...base, kind: 'offline', mayHaveReached: writes, message: offlineDetail(error) });
  }

  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new ServiceError({ ...base, kind: 'redirect', status: response.status || undefined });
  }

  let text: string;
  try {
    text = await readLimited(response, req.maxBytes ?? DEFAULT_MAX_BYTES);
  } catch (error) {
    if (error instanceof ServiceError) throw new ServiceError({ ...error.failure, ...base });
    if (req.signal?.aborted) throw new ServiceError({ ...base, kind: 'cancelled' });
    if (timeout.aborted) throw new ServiceError({ ...base, kind: 'timeout', mayHaveReached: writes });
    // The connection broke while the answer was arriving: the service did act on it.
    throw new ServiceError({ ...base, kind: 'offline', mayHaveReached: writes, message: offlineDetail(error) });
  }

  if (!response.ok) {
    throw new ServiceError(classifyStatus(response, text, req, base, writes));
  }

  if (!req.schema) return { status: response.status, headers: response.headers, data: undefined as T };

  let parsed: unknown = null;
  if (text.trim() !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ServiceError({
        ...base,
        kind: 'bad-response',
        status: response.status,
        message: looksLikeHtml(text) ? 'an HTML page instead of JSON' : 'the answer is not JSON',
        // The service said 2xx: a write was applied even though we cannot read the answer.
        mayHaveReached: writes || undefined,
      });
    }
  }
  const result = req.schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ServiceError({
      ...base,
      kind: 'bad-response',
      status: response.status,
      message: issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unexpected shape',
      mayHaveReached: writes || undefined,
    });
  }
  return { status: response.status, headers: response.headers, data: result.data };
}

function classifyStatus(
  response: Response,
  text: string,
  req: HttpRequest<unknown>,
  base: Pick<Failure, 'service' | 'host'>,
  writes: boolean,
): Failure {
  const status = response.status;
  const message = serviceMessage(text, req.errorMessage);
  if (status === 401 || status === 403) return { ...base, kind: 'auth', status, message };
  if (status === 404) return { ...base, kind: 'not-found', status, message };
  if (status === 408) return { ...base, kind: 'timeout', status, message, mayHaveReached: writes };
  if (status === 429) {
    return { ...base, kind: 'rate-limited', status, message, retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')) };
  }
  if (status >= 500) {
    return {
      ...base,
      kind: 'server',
      status,
      message,
      mayHaveReached: writes,
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
    };
  }
  return { ...base, kind: 'invalid', status, message };
}

function serviceMessage(text: string, extract: HttpRequest<unknown>['errorMessage']): string | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const message = extract?.(parsed);
  return typeof message === 'string' && message.trim() !== '' ? message.slice(0, 500) : undefined;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(response.status);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge(response.status);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(status: number): ServiceError {
  return new ServiceError({ service: '', kind: 'bad-response', status, message: 'the answer is too large' });
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(text);
}

function offlineDetail(error: unknown): string | undefined {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'the browser is offline';
  return error instanceof Error && error.message !== 'Failed to fetch' && error.message !== 'fetch failed'
    ? error.message
    : undefined;
}
