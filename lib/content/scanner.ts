/**
 * Finds the numbers under some roots, in slices: walks text blocks (lib/content/text-blocks.ts),
 * runs libphonenumber on the blocks that can hold a number, and returns where each number ends.
 * It only reads the page; placing buttons is lib/content/placement.ts's job.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { mayContainPhoneNumber, parseTelHref, PhoneSearch, type PhoneMatch } from '../phone/find-numbers.ts';
import type { NumberRef } from '../phone/e164.ts';
import { ContextReader } from './number-context.ts';
import { positionAt, walkText, type TextBlock, type WalkItem } from './text-blocks.ts';

interface FoundBase {
  ref: NumberRef;
  /** The number as the page shows it, for the button's accessible name. */
  label: string;
}

/** A number in text: its button goes right after `end`. */
export interface FoundInText extends FoundBase {
  kind: 'text';
  start: { node: Text; offset: number };
  end: { node: Text; offset: number };
  /** The end node's data when it was read; placement checks the page has not changed since. */
  endData: string;
}

/** A tel: link: its button goes right after the link. */
export interface FoundLink extends FoundBase {
  kind: 'tel';
  link: HTMLAnchorElement;
}

export type FoundNumber = FoundInText | FoundLink;

export interface ScanOptions {
  defaultCountry: CountryCode;
  /** E.164 numbers marked "Not a phone number" on this site. */
  ignored: ReadonlySet<string>;
  /** Whether the element showing a number is rendered; hidden ones are set aside. */
  isVisible: (element: Element) => boolean;
  /** Called for every open shadow root met, so the caller can observe it. */
  onShadowRoot?: (root: ShadowRoot) => void;
}

/** Checks visibility with the browser's own answer where it has one. */
export function defaultIsVisible(element: Element): boolean {
  if (typeof element.checkVisibility === 'function') {
    return element.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: false });
  }
  return !element.closest('[hidden]');
}

export class Scanner {
  /** Numbers found and visible, in document order per root; the caller drains it. */
  found: FoundNumber[] = [];
  /** Numbers found in hidden elements, to look at again when the page changes. */
  hidden: FoundNumber[] = [];
  /** The last node the walk reached, for callers that stop at the bottom of the screen. */
  lastNode: Node | undefined;
  private readonly roots: Node[];
  private from: Node | undefined;
  private walker: Generator<WalkItem, void, undefined> | undefined;
  private search: { block: TextBlock; search: PhoneSearch } | undefined;
  private finished = false;
  private readonly context: ContextReader;

  /** `from`: start the first root's walk at this node instead of at its beginning. */
  constructor(
    roots: Iterable<Node>,
    private readonly options: ScanOptions,
    from?: Node,
  ) {
    this.roots = [...roots];
    this.from = from;
    this.context = new ContextReader(options.defaultCountry);
  }

  get done(): boolean {
    return this.finished;
  }

  /** Scans until everything is read or `shouldYield()` says stop; true when finished. */
  run(shouldYield: () => boolean = () => false): boolean {
    const accept = (text: string) => mayContainPhoneNumber(text, this.options.defaultCountry);
    while (!this.finished) {
      if (this.search) {
        const { block, search } = this.search;
        if (!search.run(shouldYield)) return false;
        this.search = undefined;
        this.collect(block, search.matches());
        if (shouldYield()) return false;
        continue;
      }
      if (!this.walker) {
        const root = this.roots.shift();
        if (!root) {
          this.finished = true;
          break;
        }
        this.walker = walkText(root, { accept, from: this.from });
        this.from = undefined;
      }
      const step = this.walker.next();
      if (step.done) {
        this.walker = undefined;
        continue;
      }
      const item = step.value;
      if (item.kind === 'tick') this.lastNode = item.node;
      if (item.kind === 'block') {
        this.lastNode = item.block.nodes[item.block.nodes.length - 1];
        const { block } = item;
        const context = this.context.contextOf(block.nodes[0]!, block.text);
        const search = new PhoneSearch(block.text, {
          defaultCountry: this.options.defaultCountry,
          contextCountries: context.countries,
          recordCountries: context.recordCountries,
          notPhone: context.notPhone,
        });
        this.search = { block, search };
      } else if (item.kind === 'tel') {
        this.collectLink(item.link);
      } else if (item.kind === 'shadow') {
        this.options.onShadowRoot?.(item.root);
        this.roots.push(item.root);
      }
      if (shouldYield()) return false;
    }
    return true;
  }

  private keep(found: FoundNumber, element: Element | null): void {
    if (this.options.ignored.has(found.ref.e164)) return;
    if (element && !this.options.isVisible(element)) this.hidden.push(found);
    else this.found.push(found);
  }

  private collect(block: TextBlock, matches: PhoneMatch[]): void {
    for (const match of matches) {
      const start = positionAt(block, match.start, false);
      const end = positionAt(block, match.end, true);
      const ref: NumberRef = match.extension ? { e164: match.e164, extension: match.extension } : { e164: match.e164 };
      this.keep(
        { kind: 'text', ref, label: match.text.replace(/\s+/g, ' ').trim(), start, end, endData: end.node.data },
        end.node.parentElement,
      );
    }
  }

  private collectLink(link: HTMLAnchorElement): void {
    const parsed = parseTelHref(link.getAttribute('href') ?? '', this.options.defaultCountry);
    if (!parsed) return;
    const ref: NumberRef = parsed.extension ? { e164: parsed.e164, extension: parsed.extension } : { e164: parsed.e164 };
    const shown = link.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    // The link text may be "Call direct line": the name then uses the number from the href.
    const label = /\d/.test(shown) ? shown : parsed.text;
    this.keep({ kind: 'tel', ref, label, link }, link);
  }
}
