// ESLint: typescript-eslint (type-aware, no floating promises), eslint-plugin-security, and import
// boundaries between features (a feature imports another only through its index.ts).
import js from '@eslint/js';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The web app imports nothing from the server but @queuecrew/shared. */
const webServerImports = {
  regex: '(^@queuecrew/server)|(apps/server/)|(^(\\.\\./)+server/)',
  message: 'The web app imports nothing from the server: share through @queuecrew/shared.',
};
const webSharedValueMessage =
  'Import types from @queuecrew/shared with `import type`: a value import puts zod into the bundle (only the register form may).';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'e2e/artifacts/**',
      'apps/server/drizzle/**',
      'apps/server/build/**',
      'bench/results/**',
      '**/*.gen.ts',
      '**/routeTree.gen.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  security.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'scripts/*/*.mjs', 'apps/web/public/*.js', 'apps/server/src/lib/*.mjs'],
          // The plain-JS files above (scripts, the service worker, the docs worker) outgrew the default of 8.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Object-injection warnings fire on every typed map lookup; the typed code here is reviewed instead.
      'security/detect-object-injection': 'off',
      // Paths come from configuration and temp dirs, never from requests (reviewed in docs/security.md).
      'security/detect-non-literal-fs-filename': 'off',
      'no-console': 'off',
    },
  },
  // Layering (docs/architecture.md): lib/ and db/ are below the features, the entry modules and the test
  // helpers are above them, and the web app shares nothing with the server but @queuecrew/shared.
  {
    files: ['apps/server/src/lib/**/*.ts', 'apps/server/src/db/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)features/', message: 'lib/ and db/ sit below the features: they must not import one.' },
            { regex: '^\\.\\./(app|server|index|services)\\.ts$', message: 'lib/ and db/ must not import the entry modules.' },
          ],
        },
      ],
    },
  },
  {
    // Every feature file, tests included: another feature only through its index.ts.
    files: ['apps/server/src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./(?!\\.\\.)|\\.\\./\\.\\./features/)[^/]+/(?!index\\.ts$).+',
              message: 'Import another feature only through its index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Production feature code does not use the test helpers (src/test/); tests and test-helpers.ts may.
    files: ['apps/server/src/features/**/*.ts'],
    ignores: ['**/*.test.ts', '**/test-helpers.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./(?!\\.\\.)|\\.\\./\\.\\./features/)[^/]+/(?!index\\.ts$).+',
              message: 'Import another feature only through its index.ts.',
            },
            {
              regex: '^\\.\\./\\.\\./(app|server|index)\\.ts$',
              message: 'Features must not import the entry modules (app.ts, server.ts, index.ts).',
            },
            { regex: '^\\.\\./\\.\\./test/', message: 'Feature code must not import the test helpers (src/test/).' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@queuecrew/shared', allowTypeImports: true, message: webSharedValueMessage }],
          patterns: [webServerImports],
        },
      ],
    },
  },
  {
    // The one screen that validates with the shared schemas themselves (zod in its own lazy chunk).
    files: ['apps/web/src/features/auth/components/register-form.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [webServerImports] }] },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The service worker is plain JavaScript served as is (apps/web/public/sw.js).
    files: ['apps/web/public/*.js', 'apps/server/src/lib/*.mjs'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
