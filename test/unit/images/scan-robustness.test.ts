import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { migrate } from '../../../src-main/core/db/migrate'
import { projectMigrations } from '../../../src-main/core/db/migrations'
import { listCandidateFiles, rescanImageFolder, type ScanProgress, scanImageFolder } from '../../../src-main/core/images/scan'
import { PERMISSIONS_DO_NOT_BIND, permissionsBindThisProcess } from '../../helpers/permissions'

/** Scans that meet odd folders (issue 12, items 9 and 10). */

let folder: string
const permissionsBind = permissionsBindThisProcess()

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-scan-robust-'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function png(file: string): Promise<void> {
  await sharp({ create: { width: 6, height: 4, channels: 3, background: '#224466' } }).png().toFile(file)
}

function freshDatabase(name: string) {
  const db = openDatabase(join(folder, `${name}.sqlite`), { mustExist: false })
  migrate(db, projectMigrations)
  return db
}

describe('scan robustness', () => {
  it('lists a text file named broken.jpg as skipped, with the reason, instead of dropping it', async () => {
    const root = join(folder, 'named-like-image')
    await mkdir(root)
    await png(join(root, 'real.png'))
    await writeFile(join(root, 'broken.jpg'), 'this is text, not a JPEG\n')
    await writeFile(join(root, 'notes.txt'), 'an ordinary text file is not reported\n')
    const db = freshDatabase('named-like-image')
    const report = await scanImageFolder(db, root)
    db.close()
    expect(report.imageCount).toBe(1)
    expect(report.skipped).toEqual([{ relativePath: 'broken.jpg', reason: expect.stringMatching(/named like an image/) }])
  })

  it("counts only candidate images in its progress, not the project's own file and its -wal/-shm", async () => {
    const root = join(folder, 'with-project-file')
    await mkdir(root)
    for (const name of ['a.png', 'b.png', 'c.png']) await png(join(root, name))
    for (const name of ['demo.rwproj', 'demo.rwproj-wal', 'demo.rwproj-shm', 'old.RWPROJ']) await writeFile(join(root, name), 'x')
    const db = freshDatabase('with-project-file')
    const progress: ScanProgress[] = []
    const report = await scanImageFolder(db, root, { onProgress: (step) => progress.push(step) })
    db.close()
    expect(report).toMatchObject({ imageCount: 3, skippedCount: 0 })
    expect(progress.at(-1)).toEqual({ examined: 3, total: 3 })
  })

  it('skips and lists a sub-folder it cannot read, and scans the rest', async (context) => {
    if (!permissionsBind) return context.skip(`${PERMISSIONS_DO_NOT_BIND}; test/integration/cli-hardening.test.ts runs this without root rights`)
    const root = join(folder, 'locked-inside')
    await mkdir(join(root, 'locked'), { recursive: true })
    await png(join(root, 'open.png'))
    await png(join(root, 'locked', 'hidden-from-us.png'))
    await chmod(join(root, 'locked'), 0o000)
    try {
      const db = freshDatabase('locked-inside')
      const report = await scanImageFolder(db, root)
      db.close()
      expect(report.imageCount).toBe(1)
      expect(report.skipped).toEqual([{ relativePath: 'locked/', reason: 'folder could not be read (permission denied)' }])
    } finally {
      await chmod(join(root, 'locked'), 0o755)
    }
  })

  it('does not mark the images of a sub-folder it cannot read this time as missing', async (context) => {
    if (!permissionsBind) return context.skip(PERMISSIONS_DO_NOT_BIND)
    const root = join(folder, 'locked-later')
    await mkdir(join(root, 'sub'), { recursive: true })
    await png(join(root, 'sub', 'known.png'))
    const db = freshDatabase('locked-later')
    expect((await scanImageFolder(db, root)).imageCount).toBe(1)
    await chmod(join(root, 'sub'), 0o000)
    try {
      const report = await rescanImageFolder(db, root)
      expect(report).toMatchObject({ missingCount: 0, skipped: [{ relativePath: 'sub/' }] })
    } finally {
      await chmod(join(root, 'sub'), 0o755)
      db.close()
    }
  })

  it('refuses an image folder that does not exist with a sentence, not an errno', async () => {
    await expect(listCandidateFiles(join(folder, 'no-such-folder'))).rejects.toThrow(
      /The image folder .*no-such-folder cannot be read: it does not exist/,
    )
  })
})
