import { builtinModules } from 'node:module'
import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { layersPlugin } from './tools/lint/layer-walls.js'

/**
 * Lint, including the layering rules of ARCHITECTURE.md: src-shared is pure (no Node, no
 * Electron, no DOM), only src-main/app may import Electron, and the renderer reaches the
 * main side only through the API contract in src-shared. The inner walls (innerWalls below,
 * docs/architecture.md) keep each layer of src-main and the renderer's DOM-free modules apart.
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

const MAIN_SHELLS = ['src-main/api', 'src-main/cli', 'src-main/server', 'src-main/app']
const VIEW_FRAMEWORKS = ['vue', 'pinia', 'konva', 'vue-konva']

/** Checked by tools/lint/layer-walls.js on resolved paths; see docs/architecture.md. */
const innerWalls = [
  {
    from: 'src-main/core',
    forbidFolders: MAIN_SHELLS,
    message: 'core is the engine every shell uses; it never imports the API layer, the CLI, the server or the app.',
  },
  {
    from: 'src-main/core/images',
    forbidFolders: ['src-main/core/projects'],
    message: 'projects import images, never the other way round; move what both need below them.',
  },
  {
    from: 'src-main/api',
    forbidFolders: ['src-main/cli', 'src-main/server', 'src-main/app'],
    message: 'the API layer serves every transport; it knows none of them.',
  },
  {
    from: 'src-main/server',
    forbidFolders: ['src-main/cli', 'src-main/app'],
    message: 'serve is one transport; what it shares with the desktop app lives in src-main/api.',
  },
  {
    from: 'src-main/app',
    forbidFolders: ['src-main/cli', 'src-main/server'],
    message: 'the desktop shell does not reach into the HTTP server or the CLI; share through src-main/api.',
  },
  {
    from: 'src-main/cli',
    forbidFolders: ['src-main/server', 'src-main/app'],
    message: 'the CLI drives core (and the API layer) directly, never a transport.',
  },
  {
    from: 'src-renderer/src/editor',
    forbidFolders: ['src-renderer/src/stores', 'src-renderer/src/components', 'src-renderer/src/views', 'src-renderer/src/api'],
    forbidPackages: VIEW_FRAMEWORKS,
    message: 'editor modules are plain TypeScript (unit-tested without a page): no Vue, Pinia, Konva, stores or API.',
  },
  {
    from: 'src-renderer/src/viewer',
    forbidFolders: ['src-renderer/src/stores', 'src-renderer/src/components', 'src-renderer/src/views', 'src-renderer/src/api'],
    forbidPackages: VIEW_FRAMEWORKS,
    message: 'viewer modules are plain TypeScript (unit-tested without a page): no Vue, Pinia, Konva, stores or API.',
  },
]

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
    // SQL lives in src-main/core/db, one repository or query module per table group.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/core/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(prepare|exec|pragma)$/][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in src-main/core/db: add a function to the repository of that table.',
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,vue}'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/walls': ['error', innerWalls] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
