/**
 * Fault injection for the sandbox: rules that hit the next N matching requests, and "chaos" that
 * hits a share of requests at random (seeded, so a failing run can be replayed).
 */
export const FAULT_MODES = [
  'status', // answer with `status` in the service's error envelope; nothing is committed
  'status-after-commit', // commit the request, then answer with `status` anyway
  'rate-limit', // 429 with Retry-After: `retryAfter` seconds; nothing is committed
  'delay', // wait `delayMs`, then handle normally
  'drop-before', // close the connection without handling the request
  'drop-after', // handle (commit) the request, then close the connection without answering
  'slow-commit', // wait `delayMs` (default 20 s, past a client's 15 s timeout), then commit and answer
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/**
 * How long a slow commit takes by default: past the extension's 15 s request timeout and the 2 s
 * it waits before looking for a write it could not confirm, so the look comes too early.
 */
export const SLOW_COMMIT_MS = 20_000;

export interface FaultMatch {
  service?: string;
  method?: string;
  pathIncludes?: string;
}

export interface FaultRule extends FaultMatch {
  mode: FaultMode;
  /** How many more matching requests this rule hits. */
  count: number;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
}

export interface ChaosConfig extends FaultMatch {
  /** Share of matching requests that fail, 0..1. */
  rate: number;
  modes: FaultMode[];
  seed?: number;
  /** For status modes: the 5xx to answer (default 503). */
  status?: number;
  retryAfter?: number;
  delayMs?: number;
}

export interface Fault {
  mode: FaultMode;
  status: number;
  retryAfter: number;
  delayMs: number;
}

export interface RequestInfo {
  service: string;
  method: string;
  path: string;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private chaos: ChaosConfig | undefined;
  private random: () => number = Math.random;

  addRule(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  setChaos(config: ChaosConfig | undefined): void {
    this.chaos = config;
    this.random = mulberry32(config?.seed ?? Date.now());
  }

  reset(): void {
    this.rules = [];
    this.chaos = undefined;
  }

  describe(): { rules: FaultRule[]; chaos: ChaosConfig | undefined } {
    return { rules: this.rules.map((r) => ({ ...r })), chaos: this.chaos };
  }

  /** Picks the fault for this request, if any, consuming one use of a matching rule. */
  next(request: RequestInfo): Fault | undefined {
    const rule = this.rules.find((r) => r.count > 0 && matches(r, request));
    if (rule) {
      rule.count -= 1;
      this.rules = this.rules.filter((r) => r.count > 0);
      return toFault(rule);
    }
    const chaos = this.chaos;
    if (chaos && chaos.modes.length > 0 && matches(chaos, request) && this.random() < chaos.rate) {
      const mode = chaos.modes[Math.floor(this.random() * chaos.modes.length)]!;
      return toFault({ ...chaos, mode });
    }
    return undefined;
  }
}

function toFault(source: { mode: FaultMode; status?: number; retryAfter?: number; delayMs?: number }): Fault {
  return {
    mode: source.mode,
    status: source.mode === 'rate-limit' ? 429 : (source.status ?? 503),
    retryAfter: source.retryAfter ?? 1,
    delayMs: source.delayMs ?? (source.mode === 'slow-commit' ? SLOW_COMMIT_MS : 2000),
  };
}

function matches(match: FaultMatch, request: RequestInfo): boolean {
  if (match.service && match.service !== request.service) return false;
  if (match.method && match.method.toUpperCase() !== request.method) return false;
  if (match.pathIncludes && !request.path.includes(match.pathIncludes)) return false;
  return true;
}

/** A small seeded PRNG (public domain), so a chaos run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
