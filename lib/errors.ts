/**
 * Expected failures of a call to a service, as plain values: they cross the messaging boundary
 * and the UI turns each into a sentence a person can act on (`describeFailure`).
 */
export type FailureKind =
  | 'offline' // the network is down or the host cannot be reached
  | 'timeout' // no answer in time (also 408)
  | 'auth' // 401 / 403: credentials rejected
  | 'not-found' // 404
  | 'invalid' // 400 / 409 / 410 / 422 and other 4xx: the service refused the request
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'bad-response' // the answer does not match what the service documents
  | 'redirect' // the service tried to send us to another origin
  | 'not-configured' // a credential or base URL is missing
  | 'permission' // the browser has not granted access to the service's origin
  | 'cancelled'
  | 'unexpected';

export interface Failure {
  kind: FailureKind;
  /** The service's name as users know it, e.g. "Upcall". */
  service: string;
  /** Host name the request went to, for "Cannot reach api.example.com". */
  host?: string;
  status?: number;
  /** The service's own message, when it gave one (400/422 envelopes). */
  message?: string;
  /** Milliseconds to wait before trying again (429 Retry-After, 503). */
  retryAfterMs?: number;
  /**
   * True when the request may have reached the service and changed state even though we did
   * not get a usable answer (timeout, dropped connection, 5xx). Non-idempotent writes must be
   * reconciled before they are sent again.
   */
  mayHaveReached?: boolean;
}

export class ServiceError extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(describeFailure(failure));
    this.name = 'ServiceError';
    this.failure = failure;
  }
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof ServiceError;
}

/** Failures worth retrying later without the user changing anything. */
export function isRetryable(failure: Failure): boolean {
  return (
    failure.kind === 'offline' ||
    failure.kind === 'timeout' ||
    failure.kind === 'rate-limited' ||
    failure.kind === 'server'
  );
}

/** Turns any thrown value into a Failure; unexpected errors are logged once here. */
export function toFailure(error: unknown, service: string): Failure {
  if (error instanceof ServiceError) return error.failure;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return { kind: 'cancelled', service };
  }
  console.error(`[${service}] unexpected error`, error);
  return {
    kind: 'unexpected',
    service,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** One sentence a user can act on. */
export function describeFailure(failure: Failure): string {
  const { service, host, status, message } = failure;
  const where = host ?? service;
  const said = message ? `: ${truncate(message, 300)}` : '';
  switch (failure.kind) {
    case 'offline':
      return `Cannot reach ${where}. Check your connection or the ${service} base URL.`;
    case 'timeout':
      return `${where} did not answer in time. Try again in a moment.`;
    case 'auth':
      return status === 403
        ? `${service} refused access (403)${said}. Check the account's permissions in options.`
        : `${service} rejected the ${CREDENTIAL_NOUNS[service] ?? 'credentials'} (${status ?? 401}). Check the ${service} settings in options.`;
    case 'not-found':
      return `${service} could not find that (404)${said}.`;
    case 'invalid':
      return `${service} refused the request${status ? ` (${status})` : ''}${said}.`;
    case 'rate-limited': {
      const wait = failure.retryAfterMs ? ` Retrying in ${Math.ceil(failure.retryAfterMs / 1000)} s.` : '';
      return `${service} is limiting requests (429).${wait}`;
    }
    case 'server':
      return `${service} had a problem (${status ?? 500})${said}. It will be retried.`;
    case 'bad-response':
      return `${service} answered with something unexpected${said}.`;
    case 'redirect':
      return `${where} tried to redirect the request elsewhere; check the ${service} base URL.`;
    case 'not-configured':
      return `${service} is not set up${said}. Open options to add it.`;
    case 'permission':
      return `The browser has not allowed access to ${where}. Save ${service} in options to grant it.`;
    case 'cancelled':
      return 'Cancelled.';
    case 'unexpected':
      return `Something went wrong with ${service}${said}.`;
  }
}

/** What each service calls the credential a 401 rejects, for "Upcall rejected the token (401)". */
const CREDENTIAL_NOUNS: Record<string, string> = {
  Upcall: 'token',
  'SIP Caller': 'API key',
  Multisender: 'access token',
  'Call-Em-All': 'keys or auth token',
  CRM: 'user ID or API key',
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
