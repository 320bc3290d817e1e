// One linter: typescript-eslint with type information (no-floating-promises), plus the rules
// that keep page text out of HTML sinks and secrets out of pages (see ../shared/DESIGN.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const htmlSinks = [
  { selector: "MemberExpression[property.name='innerHTML']", message: 'No innerHTML: use textContent or Preact.' },
  { selector: "MemberExpression[property.name='outerHTML']", message: 'No outerHTML: use DOM methods.' },
  { selector: 'MemberExpression[computed=true][property.value=/^(inner|outer)HTML$/]', message: 'No innerHTML or outerHTML, computed or not.' },
  { selector: "MemberExpression[property.name='srcdoc']", message: 'No iframe srcdoc: it is an HTML sink.' },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'No insertAdjacentHTML.' },
  { selector: "CallExpression[callee.property.name='createContextualFragment']", message: 'No HTML parsing of page text.' },
  { selector: 'CallExpression[callee.property.name=/^(setHTMLUnsafe|parseHTMLUnsafe)$/]', message: 'No HTML parsing of page text.' },
  { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: 'No document.write.' },
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No dangerouslySetInnerHTML.' },
  // Preact assigns any prop the element has as a DOM property: <div innerHTML={…}> is a sink too,
  // and so is an object of props or an Object.assign onto an element.
  { selector: 'JSXAttribute[name.name=/^(innerHTML|outerHTML|srcdoc|srcDoc)$/]', message: 'No HTML through Preact props.' },
  { selector: 'Property[key.name=/^(innerHTML|outerHTML|srcdoc)$/]', message: 'No HTML through an object of properties.' },
  { selector: "NewExpression[callee.name='DOMParser']", message: 'No DOMParser on page or service text.' },
];

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'demo-output/**', 'bench-output/**', 'scratch/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      // The core rule only knows setTimeout & co as configured globals (none are, under the TS
      // parser), so it never fired; the typed rule finds them through the types.
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // Extension code: no HTML sinks, and only the background may touch secrets.
    files: ['entrypoints/**', 'lib/**', 'components/**'],
    rules: { 'no-restricted-syntax': ['error', ...htmlSinks] },
  },
  {
    files: ['entrypoints/content/**', 'entrypoints/popup/**', 'entrypoints/options/**', 'components/**', 'lib/content/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/lib/secrets*', '**/secrets.ts'], message: 'Only the background reads secrets.' }] },
      ],
    },
  },
);
