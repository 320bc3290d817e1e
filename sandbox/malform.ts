/**
 * The `malform` test control the service simulators share: like a proxy, captive portal or
 * maintenance page in the way, the next N matching successful answers are replaced by something
 * the client cannot use: an HTML page, broken JSON, or a body with the wrong types.
 *
 * Control body: `{mode, count?, method?, pathIncludes?}`; a rule matches a request when its
 * method (any case) and path fragment, where given, do. Each simulator keeps its own page texts
 * and its own way of producing wrong types.
 */
import { json, type SimRequest, type SimResponse } from './types.ts';

export const MALFORM_MODES = ['html', 'not-json', 'wrong-types'] as const;
export type MalformMode = (typeof MALFORM_MODES)[number];

interface MalformRule {
  mode: MalformMode;
  count: number;
  method?: string;
  pathIncludes?: string;
}

export interface MalformOptions {
  /** The body of the `html` answer (200, text/html). */
  html: string;
  /** The `not-json` answer (200): its Content-Type and its broken text. */
  notJson: { contentType: string; body: string };
  /** The `wrong-types` answer for a successful one; by default its body through `withWrongTypes`. */
  wrongTypes?: (answer: SimResponse) => SimResponse;
  /** The order the control's error message lists the modes in; MALFORM_MODES by default. */
  modes?: readonly MalformMode[];
  /**
   * `whole`: `count` must be a whole number from 1 (400 otherwise). `lenient`: a number is taken
   * as is and anything else means 1. Default `whole`.
   */
  count?: 'whole' | 'lenient';
  /** Leave answers without a body (e.g. 204) alone, without using up a rule. Default false. */
  skipBodiless?: boolean;
}

export interface Malform {
  /** The `malform` control: adds a rule, or answers 400 with the body it takes. */
  control(body: unknown): SimResponse;
  /** The answer to send: `answer`, or its malformed replacement when a rule matches. */
  apply(req: SimRequest, answer: SimResponse): SimResponse;
  /** Drops every pending rule. */
  reset(): void;
}

export function createMalform(options: MalformOptions): Malform {
  const modes = options.modes ?? MALFORM_MODES;
  const countRule = options.count ?? 'whole';
  const wrongTypes = options.wrongTypes ?? ((answer) => ({ ...answer, body: withWrongTypes(answer.body) }));
  let rules: MalformRule[] = [];

  return {
    control(body) {
      const input = isRecord(body) ? body : {};
      const mode = input.mode;
      const count = countRule === 'whole' ? (input.count === undefined ? 1 : input.count) : lenientCount(input.count);
      if (
        typeof mode !== 'string' ||
        !(MALFORM_MODES as readonly string[]).includes(mode) ||
        (countRule === 'whole' && (!Number.isInteger(count) || (count as number) < 1))
      ) {
        return json(400, { error: `malform takes {mode: ${modes.join('|')}, count?, method?, pathIncludes?}` });
      }
      rules.push({
        mode: mode as MalformMode,
        count: count as number,
        method: typeof input.method === 'string' ? input.method : undefined,
        pathIncludes: typeof input.pathIncludes === 'string' ? input.pathIncludes : undefined,
      });
      return json(200, { ok: true });
    },
    apply(req, answer) {
      if (answer.status >= 300 || (options.skipBodiless && answer.body === undefined)) return answer;
      const rule = rules.find(
        (r) =>
          r.count > 0 &&
          (!r.method || r.method.toUpperCase() === req.method) &&
          (!r.pathIncludes || req.path.includes(r.pathIncludes)),
      );
      if (!rule) return answer;
      rule.count -= 1;
      rules = rules.filter((r) => r.count > 0);
      switch (rule.mode) {
        case 'html':
          return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: options.html };
        case 'not-json':
          return {
            status: 200,
            headers: { 'Content-Type': options.notJson.contentType },
            body: options.notJson.body,
          };
        case 'wrong-types':
          return wrongTypes(answer);
      }
    },
    reset() {
      rules = [];
    },
  };
}

/** Every number becomes a string and every string a number: the right keys, the wrong types. */
export function withWrongTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withWrongTypes);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withWrongTypes(v)]));
  if (typeof value === 'number') return 'n/a';
  if (typeof value === 'string') return 0;
  if (typeof value === 'boolean') return 'maybe';
  return value;
}

function lenientCount(count: unknown): number {
  return typeof count === 'number' ? count : 1;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
