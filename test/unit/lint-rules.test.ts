/**
 * Page text never becomes markup or code (issue 7). Two independent guards:
 * 1. The project's own ESLint config (eslint.config.js) reports every HTML sink and every way to
 *    turn a string into code, in each place extension code lives. Snippets are linted as the
 *    content of real source files, so the full typed config applies exactly as in `npm run lint`.
 * 2. A scan of the extension's source with the TypeScript parser (comments and strings are not
 *    code, so they cannot trip it) finds none of those sinks, and no comment that switches the
 *    guarding rules off.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const GUARD_RULES = ['no-restricted-syntax', 'no-eval', 'no-new-func', 'no-implied-eval', '@typescript-eslint/no-implied-eval'];

// Real files of each kind of extension code: lintText lints the snippet as if it were their content.
const HOSTS = {
  'content script': 'lib/content/panel.ts',
  'content entrypoint': 'entrypoints/content/index.ts',
  background: 'lib/background/notifications.ts',
  component: 'components/ActivityTab.tsx',
};

const CODE_SINKS: [string, string][] = [
  ['innerHTML assignment', 'export function f(el: HTMLElement, s: string) { el.innerHTML = s; }'],
  ['innerHTML +=', 'export function f(el: HTMLElement, s: string) { el.innerHTML += s; }'],
  ['computed innerHTML', "export function f(el: HTMLElement, s: string) { el['innerHTML'] = s; }"],
  ['outerHTML', 'export function f(el: HTMLElement, s: string) { el.outerHTML = s; }'],
  ['insertAdjacentHTML', "export function f(el: HTMLElement, s: string) { el.insertAdjacentHTML('beforeend', s); }"],
  ['createContextualFragment', 'export function f(s: string) { return document.createRange().createContextualFragment(s); }'],
  ['setHTMLUnsafe', 'export function f(el: { setHTMLUnsafe(s: string): void }, s: string) { el.setHTMLUnsafe(s); }'],
  ['document.write', 'export function f(s: string) { document.write(s); }'],
  ['document.writeln', 'export function f(s: string) { document.writeln(s); }'],
  ['DOMParser', "export function f(s: string) { return new DOMParser().parseFromString(s, 'text/html'); }"],
  ['iframe srcdoc', 'export function f(frame: HTMLIFrameElement, s: string) { frame.srcdoc = s; }'],
  ['Object.assign innerHTML', 'export function f(el: HTMLElement, s: string) { Object.assign(el, { innerHTML: s }); }'],
  ['eval', 'export function f(s: string) { return eval(s); }'],
  ['indirect eval', 'export function f(s: string) { return globalThis.eval(s); }'],
  ['new Function', 'export function f(s: string) { return new Function(s); }'],
  ['Function()', 'export function f(s: string) { return Function(s); }'],
  ['setTimeout with code', "export function f() { setTimeout('alert(1)', 0); }"],
];

const JSX_SINKS: [string, string][] = [
  ['dangerouslySetInnerHTML', 'export const P = (p: { s: string }) => <div dangerouslySetInnerHTML={{ __html: p.s }} />;'],
  // Preact sets any prop the element has as a DOM property, so these reach the DOM as HTML.
  ['innerHTML prop', 'export const P = (p: { s: string }) => <div innerHTML={p.s} />;'],
  ['srcDoc prop', 'export const P = (p: { s: string }) => <iframe srcDoc={p.s} />;'],
  ['props object', "import { h } from 'preact';\nexport const P = (p: { s: string }) => h('div', { innerHTML: p.s });"],
];

const SAFE_CODE = 'export function f(el: HTMLElement, s: string) { el.textContent = s; el.append(document.createTextNode(s)); }';
const SAFE_JSX = 'export const P = (p: { s: string }) => <p title={p.s}>{p.s}</p>;';

let eslint: ESLint;

async function lint(host: string, code: string): Promise<{ rules: (string | null)[]; fatal: string[] }> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, host) });
  const errors = result!.messages.filter((m) => m.severity === 2);
  return { rules: errors.map((m) => m.ruleId), fatal: errors.filter((m) => m.fatal).map((m) => m.message) };
}

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

describe('the lint rules', () => {
  it.each(Object.entries(HOSTS))('report every HTML sink and string-to-code call in %s code', async (_kind, host) => {
    const missed: string[] = [];
    const snippets = host.endsWith('.tsx') ? [...CODE_SINKS, ...JSX_SINKS] : CODE_SINKS;
    for (const [name, code] of snippets) {
      const { rules, fatal } = await lint(host, code);
      // A snippet that does not even parse would be "an error" for the wrong reason.
      expect(fatal, name).toEqual([]);
      if (!rules.some((rule) => rule !== null && GUARD_RULES.includes(rule))) missed.push(name);
    }
    expect(missed).toEqual([]);
    // And safe DOM code is not reported: the rules are about sinks, not about touching the DOM.
    expect((await lint(host, host.endsWith('.tsx') ? SAFE_JSX : SAFE_CODE)).rules).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

const SINK_MEMBERS = new Set(['innerHTML', 'outerHTML', 'srcdoc', 'insertAdjacentHTML', 'createContextualFragment', 'setHTMLUnsafe', 'parseHTMLUnsafe']);
const SINK_PROPS = new Set(['innerHTML', 'outerHTML', 'srcdoc', 'srcDoc', 'dangerouslySetInnerHTML']);
const DISABLES_GUARD = new RegExp(`eslint-disable(?:-next-line|-line)?(?:\\s*(?:\\*/|$)|[^\\n]*(?:${GUARD_RULES.join('|')}))`, 'm');

/** Every sink in a source text, as "line: what". Comments and string contents are not code. */
function findSinks(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  };
  const calleeName = (expression: ts.Expression): string | undefined =>
    ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && SINK_MEMBERS.has(node.name.text)) report(node, node.name.text);
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && SINK_MEMBERS.has(node.argumentExpression.text)) {
      report(node, `[${node.argumentExpression.text}]`);
    }
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && SINK_PROPS.has(node.name.getText(source))) {
      report(node, `${node.name.getText(source)}: in an object`);
    }
    if (ts.isJsxAttribute(node) && SINK_PROPS.has(node.name.getText(source))) report(node, `<${node.name.getText(source)}>`);
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && ['Function', 'DOMParser'].includes(node.expression.text)) {
      report(node, `new ${node.expression.text}`);
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      if (name === 'eval' || (name === 'Function' && ts.isIdentifier(node.expression))) report(node, `${name}()`);
      if (ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText(source) === 'document' && /^write(ln)?$/.test(name ?? '')) {
        report(node, `document.${name}`);
      }
      if ((name === 'setTimeout' || name === 'setInterval') && node.arguments[0] && !ts.isFunctionLike(node.arguments[0]) && !ts.isIdentifier(node.arguments[0])) {
        if (ts.isStringLiteralLike(node.arguments[0]) || ts.isTemplateExpression(node.arguments[0])) report(node, `${name} with code`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (DISABLES_GUARD.test(text)) found.push('a comment switches a guarding lint rule off');
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('the extension source', () => {
  it('the scan finds each kind of sink, and not the same words in comments or strings', () => {
    const bad = [...CODE_SINKS, ...JSX_SINKS].map(([, code]) => code).join('\n');
    expect(findSinks('bad.tsx', bad)).toHaveLength(CODE_SINKS.length + JSX_SINKS.length);
    expect(findSinks('off.ts', '// eslint-disable-next-line no-restricted-syntax -- just this once\nexport {};')).toHaveLength(1);
    expect(findSinks('off.ts', '/* eslint-disable */\nexport {};')).toHaveLength(1);
    const harmless = "// el.innerHTML = s; eval(s)\nexport const note = 'never el.innerHTML or eval(s) or new Function';\n";
    expect(findSinks('ok.ts', harmless)).toEqual([]);
  });

  it('has no HTML sink, eval or new Function in entrypoints, lib or components', () => {
    const files = ['entrypoints', 'lib', 'components'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) => findSinks(file, readFileSync(file, 'utf8')).map((hit) => `${relative(ROOT, file)}:${hit}`));
    expect(found).toEqual([]);
  });
});
