import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src-main/core/db/connection'
import { countImages, listImages, type NewImage, upsertImages } from '../src-main/core/db/images-repository'
import { migrate } from '../src-main/core/db/migrate'
import { projectMigrations } from '../src-main/core/db/migrations'
import { scanImageFolder } from '../src-main/core/images/scan'
import { createImageFolder } from '../test/helpers/image-folder'

/**
 * Paging a 10,000-image project and scanning a folder. Figures are ratios against a
 * baseline from the same run: the first page of the list, and a scan of a folder a tenth
 * the size (so a ratio near 10 means the scan grows linearly).
 */

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function timeMany(repeats: number, action: () => void): number {
  const samples: number[] = []
  for (let index = 0; index < repeats; index++) {
    const start = performance.now()
    action()
    samples.push(performance.now() - start)
  }
  return median(samples)
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'rw-bench-images-'))
  try {
    const db = openDatabase(join(folder, 'bench.rwproj'), { mustExist: false })
    migrate(db, projectMigrations)
    const images: NewImage[] = Array.from({ length: 10_000 }, (_, index) => ({
      relativePath: `batch-${String(index % 50).padStart(2, '0')}/img-${String(index).padStart(5, '0')}.jpg`,
      format: 'jpeg',
      width: 1920,
      height: 1080,
      fileSize: 250_000,
      mtimeMs: 1_700_000_000_000 + index,
    }))
    const insertStart = performance.now()
    upsertImages(db, images, new Date().toISOString())
    const insertMs = performance.now() - insertStart

    const firstPage = timeMany(50, () => listImages(db, 0, 200))
    const lastPage = timeMany(50, () => listImages(db, 9_800, 200))
    const count = timeMany(50, () => countImages(db))
    console.log(`10,000 rows inserted in one batch: ${(insertMs / 10_000).toFixed(4)} ms per row`)
    console.log(`page of 200 at offset 9,800 vs offset 0: ${(lastPage / firstPage).toFixed(2)}x`)
    console.log(`count(*) vs page of 200 at offset 0: ${(count / firstPage).toFixed(2)}x`)
    db.close()

    const small = await createImageFolder(join(folder, 'small'), { extraImages: 100 })
    const large = await createImageFolder(join(folder, 'large'), { extraImages: 1_000 })
    const scanTimes: number[] = []
    for (const generated of [small, large]) {
      const scanDb = openDatabase(join(generated.root, 'scan.rwproj'), { mustExist: false })
      migrate(scanDb, projectMigrations)
      const start = performance.now()
      await scanImageFolder(scanDb, generated.root)
      scanTimes.push(performance.now() - start)
      scanDb.close()
    }
    const ratio = scanTimes[1]! / scanTimes[0]!
    const sizeRatio = large.images.length / small.images.length
    console.log(`scan of ${large.images.length} vs ${small.images.length} images: ${ratio.toFixed(2)}x (size ratio ${sizeRatio.toFixed(2)}x)`)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
