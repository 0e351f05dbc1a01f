import type { AppInfo } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'

/** What the workbench says about itself (version, transport, whether native dialogs exist). */
export function defineAppInfoStore(client: StoreClient) {
  return defineStore('app-info', () => {
    const notices = useNoticesStore()
    const info = ref<AppInfo | null>(null)
    /** Native dialogs exist only in the desktop app; over HTTP paths are typed in. */
    const canPickPaths = computed(() => info.value?.canPickPaths ?? false)

    async function load(): Promise<void> {
      try {
        info.value = await client.call('app.info', {})
      } catch (error) {
        notices.report(error, 'failures.reachWorkbench')
      }
    }

    return { info, canPickPaths, load }
  })
}
