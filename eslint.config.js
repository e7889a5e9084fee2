// Lint: eslint's and typescript-eslint's recommended rules (formatting is prettier's job), the
// type-checked promise rules, and the layering of DESIGN.md as rules (STYLE.md habit 13).
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];
/** Layering binds the product code; tests may reach across (golden files, fixtures, helpers). */
const NOT_TESTS = ['**/*.test.ts', '**/*.test.tsx'];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'node_modules/', 'coverage/', 'test-artifacts/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    // A promise nobody awaits loses its error; a deliberate fire-and-forget says so with `void`.
    files: TS,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // No import cycles (type-only imports are erased at runtime, so the rule skips them).
    files: TS,
    plugins: { 'import-x': importX },
    settings: {
      // Imports name the emitted `.js`; the source beside it is `.ts` (NodeNext's convention).
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
      // Read the imported TypeScript files too, or a cycle through them goes unseen.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // The layers (DESIGN.md "Architecture"): resolved paths, so `../` and `../../` both count.
    files: ['src/**/*.ts'],
    ignores: NOT_TESTS,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/domain',
              from: './src',
              except: ['./domain'],
              message: 'Domain code is pure: it imports nothing outside src/domain.',
            },
            {
              target: ['./src/redirect', './src/webhooks'],
              from: ['./src/http', './src/services'],
              message: 'The redirect and the webhook adapters sit below HTTP and the services.',
            },
            {
              target: './src/services',
              from: ['./src/http', './src/cli'],
              message: 'Services sit below their callers (HTTP routes, the CLI).',
            },
            {
              target: './src/store',
              from: [
                './src/services',
                './src/http',
                './src/cli',
                './src/demo',
                './src/redirect',
                './src/webhooks',
              ],
              message: 'The store is the bottom layer: it imports only domain code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/http/routes/**/*.ts'],
    ignores: NOT_TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/store/*', '**/store/**'],
              allowTypeImports: true,
              message: 'Routes call services; they import the store only as types.',
            },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's bundle holds no server code: it takes values from src/domain (pure) only, and
    // the API contract (src/http/contract) and anything else of the server as types.
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    ignores: NOT_TESTS,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/src/http/**',
                '**/src/services/**',
                '**/src/store/**',
                '**/src/redirect/**',
                '**/src/webhooks/**',
                '**/src/cli/**',
                '**/src/demo/**',
                '**/src/*.js',
              ],
              allowTypeImports: true,
              message: 'The dashboard imports server code only as types (values from src/domain only).',
            },
          ],
        },
      ],
    },
  },
);
