/**
 * Projects at scale for the latency benchmark. fillEvaluationProject fills an open project
 * with what a compared evaluation reads: images, labels of the
 * objects in truth (the pre-labels of a first run that found them all, every image then
 * reviewed), and two runs of 20 detections an image that find 70 % and 85 % of them. Written through the repository functions on a connection of its own,
 * beside the app's.
 */
import { ensureClassesByName } from '../src-main/core/db/classes-repository'
import { openDatabase } from '../src-main/core/db/connection'
import { type ImageResult, recordImageResults } from '../src-main/core/db/detections-repository'
import { setImageReviewed } from '../src-main/core/db/image-status'
import { type NewImage, upsertImages } from '../src-main/core/db/images-repository'
import { createRun, finishRun } from '../src-main/core/db/runs-repository'
import { seededRandom } from '../test/helpers/seeded-random'

const LABELS = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck', 'boat', 'bench', 'bird', 'dog']
const OBJECTS_PER_IMAGE = 8
const DETECTIONS_PER_IMAGE = 20

export const BENCH_IMAGE_SIZE = { width: 1280, height: 720 }

/** `imageCount` images (rows only: no file is read) in `camera-k/frame-nnnnnn.jpg`; their paths, in id order. */
export function addBenchImages(projectFile: string, imageCount: number): string[] {
  const db = openDatabase(projectFile, { mustExist: true })
  try {
    const images: NewImage[] = Array.from({ length: imageCount }, (_, index) => ({
      relativePath: `camera-${index % 20}/frame-${String(index).padStart(6, '0')}.jpg`,
      format: 'jpeg',
      ...BENCH_IMAGE_SIZE,
      fileSize: 200_000,
      mtimeMs: 1_700_000_000_000 + index,
    }))
    upsertImages(db, images, 'now')
    return images.map((image) => image.relativePath)
  } finally {
    db.close()
  }
}

export function fillEvaluationProject(projectFile: string, imageCount: number): { runIds: [number, number]; imageIds: number[] } {
  addBenchImages(projectFile, imageCount)
  const db = openDatabase(projectFile, { mustExist: true })
  try {
    const imageIds = db.prepare('SELECT id FROM images ORDER BY id').pluck().all() as number[]
    const classIds = ensureClassesByName(db, LABELS, 'now')
    const random = seededRandom(5)
    // The objects in truth, per image; each run finds them with some noise, plus false alarms.
    const objects = imageIds.map(() =>
      Array.from({ length: OBJECTS_PER_IMAGE }, () => {
        const x = random() * 1100
        const y = random() * 600
        return { classIndex: Math.floor(random() * LABELS.length), box: [x, y, x + 30 + random() * 150, y + 30 + random() * 100] as const }
      }),
    )
    const runIds = [1, 0.7, 0.85].map((skill) => {
      const runId = createRun(db, {
        modelPath: `/models/skill-${skill}.onnx`,
        modelSha256: '0'.repeat(64),
        modelConfig: { preset: 'torchvision', classes: LABELS },
        providerRequested: 'auto',
        decodeCutoff: 0.5,
        scope: 'all',
        labels: LABELS.map((name, labelIndex) => ({ labelIndex, classId: classIds.get(name)! })),
        startedAt: 'now',
      })
      for (let start = 0; start < imageIds.length; start += 200) {
        const batch: ImageResult[] = imageIds.slice(start, start + 200).map((imageId, offset) => {
          const truth = objects[start + offset]!
          const detections = Array.from({ length: DETECTIONS_PER_IMAGE }, (_, d) => {
            const found = d < truth.length && random() < skill
            const shift = () => (skill === 1 ? 0 : (random() - 0.5) * 12)
            if (found) {
              const { classIndex, box } = truth[d]!
              if (skill === 1) return { classIndex, score: 1, box }
              return { classIndex, score: 0.5 + random() * 0.5, box: [box[0] + shift(), box[1] + shift(), box[2] + shift(), box[3] + shift()] as const }
            }
            const x = random() * 1100
            const y = random() * 600
            return { classIndex: Math.floor(random() * LABELS.length), score: random() * 0.6, box: [x, y, x + 40, y + 40] as const }
          })
          return { imageId, state: 'done', detections: skill === 1 ? detections.slice(0, truth.length) : detections }
        })
        recordImageResults(db, runId, batch, 'now')
      }
      finishRun(db, runId, { state: 'done', finishedAt: 'now' })
      // Reviewed, the first run's labels stay as they are through the runs after it.
      if (skill === 1) {
        db.transaction(() => {
          for (const imageId of imageIds) setImageReviewed(db, imageId, true, 'now')
        })()
      }
      return runId
    })
    return { runIds: [runIds[1]!, runIds[2]!], imageIds }
  } finally {
    db.close()
  }
}
