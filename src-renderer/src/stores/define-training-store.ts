import type { TrainedModelInfo, TrainingSummary } from '@shared/api/training-types'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { StoreClient } from './store-client'
import { saidTextOf, type SaidText } from '../i18n/words'

/**
 * Where a model trained from this project goes unless the labeler says otherwise: a `models`
 * folder beside the project file, named after the project and the minute it was trained, so
 * each training keeps its own model (`…/models/street-scenes-20261205-1432.onnx`).
 */
export function defaultTrainedModelPath(projectFile: string, projectName: string, now: Date): string {
  const slash = Math.max(projectFile.lastIndexOf('/'), projectFile.lastIndexOf('\\'))
  const separator = projectFile[slash] ?? '/'
  const folder = projectFile.slice(0, slash)
  const stem = projectName.normalize('NFKC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'model'
  const pad = (value: number) => String(value).padStart(2, '0')
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`
  return `${folder}${separator}models${separator}${stem}-${stamp}.onnx`
}

/** A model's file name without its folder, as lists and choices show it (the full path goes in a title). */
export function modelFileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
}

/**
 * "Improve the model": one training at a time from this window. Its progress shows in the
 * jobs tray (a `training` job); this store holds what the last one wrote or why it did not.
 */
export function defineTrainingStore(client: StoreClient) {
  return defineStore('training', () => {
    const running = ref(false)
    const summary = shallowRef<TrainingSummary | null>(null)
    const error = ref<SaidText | null>(null)
    /** The models this project trained, newest first. */
    const models = shallowRef<TrainedModelInfo[]>([])

    async function refreshModels(): Promise<void> {
      try {
        models.value = await client.call('training.models', {})
      } catch {
        models.value = [] // no project open (any more): nothing to offer
      }
    }

    async function start(out: string, epochs: number): Promise<void> {
      if (running.value) return
      running.value = true
      error.value = null
      summary.value = null
      try {
        summary.value = await client.call('training.start', { out, epochs })
      } catch (failure) {
        error.value = saidTextOf(failure)
      } finally {
        running.value = false
      }
      await refreshModels()
    }

    /** Another project is open: the last training's result belongs to the one before. */
    function clear(): void {
      summary.value = null
      error.value = null
      models.value = []
    }

    return { running, summary, error, models, refreshModels, start, clear }
  })
}
