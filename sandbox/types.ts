/** The contract between the sandbox server and each service simulator. */
import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  method: string;
  /** Path below the simulator's prefix, always starting with "/". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The full URL the client asked for. */
  url: URL;
  /** e.g. "http://127.0.0.1:5123/upcall/api/v1": for links the service returns (paging). */
  baseUrl: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
}

export interface ServiceSimulator {
  /** The service id, as in lib/services.ts. */
  id: string;
  /** Mount point, e.g. "/upcall/api/v1". */
  prefix: string;
  /** Back to the seeded state. */
  reset(): void;
  /**
   * Handles one request (auth, validation, state change) and returns the answer. State changes
   * happen here; the fault layer may drop the connection after this returns ("after commit").
   */
  handle(req: SimRequest): SimResponse | Promise<SimResponse>;
  /** The error answer this service gives for a status, in its own envelope (fault injection). */
  errorResponse(status: number, message: string): SimResponse;
  /** A snapshot of the in-memory state, for tests (GET /__sandbox/state/:id). */
  state(): unknown;
  /**
   * Test controls specific to the service (POST /__sandbox/services/:id/:action), e.g. moving a
   * click-to-call along, or marking a number do-not-call.
   */
  control?(action: string, body: unknown): SimResponse;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return { status, body, headers };
}

/** Parses a JSON body, or returns undefined when it is not valid JSON. */
export function parseJson(req: SimRequest): unknown {
  if (req.rawBody.length === 0) return undefined;
  try {
    return JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}
