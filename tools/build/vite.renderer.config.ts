import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig, type UserConfig } from 'vite'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The renderer build. electron.vite.config.ts uses it as its `renderer` section; on its
 * own (`npm run build:renderer`) it builds the UI with plain Vite, which needs no Electron
 * binary, for `serve` and the browser tests.
 */
export const rendererConfig: UserConfig = {
  root: resolve(root, 'src-renderer'),
  // Relative asset URLs: `serve` puts the app under a per-start secret folder, `/<token>/`.
  base: './',
  plugins: [vue()],
  resolve: { alias: { '@shared': resolve(root, 'src-shared') } },
  // vue-i18n's compile-time flags: the Composition API only, no devtools in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
  },
}

export default defineConfig(rendererConfig)
