import { builtinModules } from 'node:module'
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Lint, including the layering rules of ARCHITECTURE.md: src-shared is pure (no Node, no
 * Electron, no DOM), only src-main/app may import Electron, and the renderer reaches the
 * main side only through the API contract in src-shared.
 */

/** Bare names (`fs`, `path`); the `node:` forms are caught by a pattern below. */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('node:'))

const noElectron = {
  name: 'electron',
  message: 'Only src-main/app may import Electron; keep this module plain Node so it runs in tests, the CLI and serve.',
}

const noAppShell = { group: ['**/app/**', '**/src-main/app/**'], message: 'Only src-main/app depends on the Electron shell.' }

const sharedValuesByRelativePath = {
  group: ['@shared/*'],
  allowTypeImports: true,
  message: 'Import values from src-shared by relative path here (workers and CLI children lack the @shared alias).',
}

const sharedForbiddenImports = {
  paths: [
    noElectron,
    ...nodeBuiltins.map((name) => ({ name, message: 'src-shared runs in the renderer too: no Node built-ins.' })),
  ],
  patterns: [
    { group: ['node:*'], message: 'src-shared runs in the renderer too: no Node built-ins.' },
    { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared must not depend on either side.' },
    {
      group: ['better-sqlite3', 'sharp', 'onnxruntime-node', 'vue', 'pinia', 'konva', 'vue-konva'],
      message: 'src-shared holds types and pure logic only.',
    },
  ],
}

/** Browser globals src-shared must not touch (it also runs in Node). */
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement',
  'Element', 'Node', 'Image', 'HTMLCanvasElement', 'requestAnimationFrame', 'fetch', 'EventSource', 'XMLHttpRequest',
  'indexedDB', 'alert', 'confirm'].map((name) => ({ name, message: 'src-shared must not use DOM globals.' }))

const nodeGlobals = ['process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate'].map(
  (name) => ({ name, message: 'src-shared must not use Node globals.' }),
)

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'native/**', 'tmp/**', 'test-results/**', '.vite/**',
      'coverage/**', 'resources/**', '**/*.d.ts', '.gpu/**', '.cache/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      // Prettier-style formatting is not linted; Vue layout rules would only fight it.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src-main/**/*.ts', 'tools/**/*.{ts,mjs,js}', 'bench/**/*.ts', 'test/**/*.ts', '*.{js,ts,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src-renderer/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the main side only through the api object.' }],
          patterns: [
            { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
            { group: ['**/src-main/**'], message: 'The renderer reaches the main side only through src-shared/api.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', sharedForbiddenImports],
      'no-restricted-globals': ['error', ...domGlobals, ...nodeGlobals],
    },
  },
  {
    files: ['src-main/server/**/*.ts', 'src-main/api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noAppShell] }] },
  },
  {
    // Detection workers and CLI child processes load core/ and cli/ under tsx without the tsconfig
    // paths, so `@shared/...` resolves there for type imports only.
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noAppShell, sharedValuesByRelativePath] }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
