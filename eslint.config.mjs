// ESLint for the whole tree: `npm run lint`, also run by `npm test`.
// The recommended rules (JavaScript and typescript-eslint, neither needing type information), plus the few
// type-aware rules that catch real bugs in a codebase that is mostly async I/O: a promise nobody awaits
// (its rejection is lost, its work outlives a Stop), a promise passed where a callback's result is ignored,
// an await of something that is not a promise. Layering: src/core and src/cli never import `vscode`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The globals Node gives every module; the .mjs scripts use no others (no browser globals: the e2e
// suite's page code runs through playwright's evaluate, as functions, and is checked as Node code).
const nodeGlobals = Object.fromEntries([
  'AbortController', 'AbortSignal', 'Buffer', 'URL', 'URLSearchParams', 'TextDecoder', 'TextEncoder',
  'clearInterval', 'clearTimeout', 'console', 'fetch', 'globalThis', 'performance', 'process',
  'queueMicrotask', 'setImmediate', 'setInterval', 'setTimeout', 'structuredClone',
].map((name) => [name, 'readonly']));

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'test-results/', '.vscode-test/', 'bench/results/', '**/*.d.ts',
    // compiled only when src/core or src/cli imports vscode (tsconfig.core.json), as the error that says so
    'layers/vscode-forbidden.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    rules: {
      // `_name` marks a parameter or binding kept for its position (a callback's signature, a tuple).
      '@typescript-eslint/no-unused-vars': ['error', {
        argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true,
      }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Mocha's globals in the suites written as plain JavaScript; `document` in the functions the e2e suite
    // hands to the browser page (playwright's evaluate / waitForFunction).
    files: ['test/**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(['describe', 'it', 'before', 'after', 'beforeEach', 'afterEach', 'document']
        .map((name) => [name, 'readonly'])),
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The core and the CLI run outside VS Code (the CLI, the tests, the bench): they must not need it.
    files: ['src/core/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core and src/cli run without VS Code; put this in src/vscode.' }],
      }],
    },
  },
);
