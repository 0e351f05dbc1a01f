/**
 * The exports real readers check (tools/formats/reference-readers.ts records what they read;
 * reference-readers.test.ts compares): the labelled test project as COCO and as Pascal VOC,
 * all images with labels and negatives, images not copied.
 */
import { join } from 'node:path'
import { exportLabels } from '../../../src-main/core/formats/export-labels'
import { createLabelledProject, type LabelledProject } from './labelled-project'

export interface ReferenceExport {
  source: LabelledProject
  cocoFile: string
  vocAnnotations: string
}

export async function exportReferenceFixture(folder: string): Promise<ReferenceExport> {
  const source = await createLabelledProject(folder)
  const project = { db: source.project.db, imageRoot: source.project.imageRoot, name: 'reference' }
  const options = { allImages: true, includeEmpty: true, images: 'none' as const }
  await exportLabels(project, { ...options, format: 'coco', out: join(folder, 'coco') })
  await exportLabels(project, { ...options, format: 'voc', out: join(folder, 'voc') })
  return { source, cocoFile: join(folder, 'coco', 'annotations.json'), vocAnnotations: join(folder, 'voc', 'Annotations') }
}
