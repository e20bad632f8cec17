// ESLint: typescript-eslint (type-aware, no floating promises), eslint-plugin-security, and import
// boundaries between features (a feature imports another only through its index.ts).
import js from '@eslint/js';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'e2e/artifacts/**',
      'apps/server/drizzle/**',
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
  {
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
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The service worker is plain JavaScript served as is (apps/web/public/sw.js).
    files: ['apps/web/public/*.js', 'apps/server/src/lib/*.mjs'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
