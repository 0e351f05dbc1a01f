import type { JobInfo } from '@shared/api/job-types'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'

/**
 * The scans, exports and imports going on in the main process, as `job.*` events describe
 * them, for the one progress view every kind shares. A window opened mid-job asks
 * `jobs.active` once; from then on the events keep the list.
 */
export function defineJobsStore(client: StoreClient) {
  return defineStore('jobs', () => {
    const notices = useNoticesStore()
    const byId = ref(new Map<number, JobInfo>())
    /** Ids whose Cancel was pressed: the button then says so until the job ends. */
    const cancelling = ref(new Set<number>())
    const jobs = computed(() => [...byId.value.values()].sort((a, b) => a.id - b.id))
    /** Job ids that already ended: a late `jobs.active` answer must not bring them back. */
    const ended = new Set<number>()
    let stopListening: (() => void) | null = null

    function put(job: JobInfo): void {
      if (ended.has(job.id)) return
      const next = new Map(byId.value)
      next.set(job.id, job)
      byId.value = next
    }

    function remove(jobId: number): void {
      ended.add(jobId)
      const next = new Map(byId.value)
      next.delete(jobId)
      byId.value = next
      if (cancelling.value.has(jobId)) {
        const still = new Set(cancelling.value)
        still.delete(jobId)
        cancelling.value = still
      }
    }

    async function start(): Promise<void> {
      stopListening ??= client.subscribe((event) => {
        if (event.type === 'job.started' || event.type === 'job.progress') put(event.job)
        else if (event.type === 'job.finished') remove(event.job.id)
      })
      try {
        for (const job of await client.call('jobs.active', {})) put(job)
      } catch (error) {
        notices.report(error, 'failures.readJobs')
      }
    }

    async function cancel(jobId: number): Promise<void> {
      cancelling.value = new Set([...cancelling.value, jobId])
      try {
        await client.call('jobs.cancel', { jobId })
      } catch (error) {
        notices.report(error, 'failures.cancel')
      }
    }

    return { jobs, cancelling, start, cancel }
  })
}
