import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What no part of the renderer, its tests included, imports: main's and the worker's code, Electron. */
const outsideTheRenderer = [
  '../src-main/*',
  '../../src-main/*',
  '**/src-main/**',
  '**/src-worker/**',
  'electron',
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Layering: the renderer never reaches Node or main; main and the worker never reach the renderer.
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['node:*', ...outsideTheRenderer],
        },
      ],
    },
  },
  {
    // The renderer's unit tests run in Node, and may read the shared test data from disk.
    files: ['src-renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: outsideTheRenderer }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-worker/**/*.ts', 'src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/src-renderer/**', 'react', 'react-dom'] }],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
