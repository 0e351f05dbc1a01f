/**
 * A real project over a generated image folder (sub-folders, unicode names, EXIF-rotated JPEGs,
 * two files sharing a stem, two sharing a file name), with labels drawn through the edit log
 * as a person would, some images reviewed and some not, and a class no label uses.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import sharp from 'sharp'
import { ensureClassesByName, listClasses } from '../../../src-main/core/db/classes-repository'
import { applyLabelChanges } from '../../../src-main/core/db/edit-log-repository'
import { setImageReviewed } from '../../../src-main/core/db/image-status'
import { listImages } from '../../../src-main/core/db/images-repository'
import { EventHub } from '../../../src-main/core/events/event-hub'
import { openProjectFile } from '../../../src-main/core/jobs/project-file'
import type { OpenProject } from '../../../src-main/core/projects/open-project'
import { ProjectService } from '../../../src-main/core/projects/project-service'
import { RecentProjects } from '../../../src-main/core/projects/recent-projects'
import { createImageFolder } from '../../helpers/image-folder'
import type { Box } from '../../../src-shared/geometry/box'

/** Class order deliberately not alphabetical; `unused` has no label. */
export const CLASS_NAMES = ['zebra', 'cat', 'bird 鳥', 'unused'] as const

export const EXTRA_IMAGES = ['ünïcode/čaj 茶.png', 'pair/shot.jpg', 'pair/shot.png', 'other/theta.png']

export interface ExpectedLabel {
  className: string
  box: Box
}

export interface LabelledProject {
  imageFolder: string
  project: OpenProject
  /** Labels per relative path, of every image. */
  labels: Map<string, ExpectedLabel[]>
  reviewed: Set<string>
}

export async function createProject(folder: string, imageFolder: string, name: string): Promise<OpenProject> {
  const service = new ProjectService({ appVersion: 'test', recent: new RecentProjects(join(folder, `recent-${name}`)), events: new EventHub() })
  const created = await service.create({ imageFolder, projectFile: join(folder, `${name}.rwproj`), name })
  service.dispose()
  return openProjectFile(created.file)
}

export async function createLabelledProject(folder: string): Promise<LabelledProject> {
  const imageFolder = join(folder, 'images')
  await createImageFolder(imageFolder)
  for (const [index, path] of EXTRA_IMAGES.entries()) {
    const file = join(imageFolder, ...path.split('/'))
    await mkdir(dirname(file), { recursive: true })
    const image = sharp({ create: { width: 30 + index * 4, height: 24 + index * 2, channels: 3, background: { r: 40 * index, g: 90, b: 140 } } })
    await writeFile(file, await (path.endsWith('.jpg') ? image.jpeg() : image.png()).toBuffer())
  }
  const project = await createProject(folder, imageFolder, 'source')
  const { db } = project
  const now = '2026-03-01T10:00:00.000Z'
  const classIds = ensureClassesByName(db, CLASS_NAMES, now)
  const labels = new Map<string, ExpectedLabel[]>()
  const reviewed = new Set<string>()
  listImages(db, 0, 1000).forEach((image, index) => {
    const boxes: ExpectedLabel[] = []
    // Every fourth image has no labels (a negative); the others one to three boxes at fractional positions.
    const count = index % 4 === 3 ? 0 : 1 + (index % 3)
    for (let k = 0; k < count; k++) {
      const x1 = (image.width * (k + 1)) / 7 + 0.37
      const y1 = (image.height * (k + 1)) / 9 + 0.21
      const box: Box = [x1, y1, Math.min(image.width, x1 + image.width / 3 + 0.5), Math.min(image.height, y1 + image.height / 4 + 0.25)]
      boxes.push({ className: CLASS_NAMES[(index + k) % 3]!, box })
    }
    if (boxes.length > 0) {
      applyLabelChanges(db, image.id, 'draw box', boxes.map((label) => ({ op: 'create' as const, state: { classId: classIds.get(label.className)!, box: label.box } })), now)
    }
    labels.set(image.relativePath, boxes)
    // Every fifth image stays unreviewed, so the default export (reviewed only) leaves it out.
    if (index % 5 !== 2) {
      setImageReviewed(db, image.id, true, now)
      reviewed.add(image.relativePath)
    }
  })
  if (listClasses(db).length !== CLASS_NAMES.length) throw new Error('the test classes were not created')
  return { imageFolder, project, labels, reviewed }
}
