/**
 * Finds the project image an imported entry means. In order: the relative path exactly; the
 * path without extension (YOLO label files, VOC ids), also in the `x_png` form exports use
 * where stems collide; the same with a leading split folder (train/, val/, ...) removed; then
 * the file name, and the file name without extension. A name several images share is
 * ambiguous and reported, never guessed.
 */
import { isAbsolute, relative, sep } from 'node:path'
import type { ImportTargetImage } from '../db/label-import-writer'
import type { SaidValues } from '../../../src-shared/messages/said'
import { splitExtension, stemWithExtension } from './export-paths'

/** Why no image matched, as a key of the server catalogue's `importProblem` (the caller adds `boxes`). */
export interface MatchProblem {
  key: 'importProblem.noImageNamed' | 'importProblem.noImageMatches' | 'importProblem.ambiguousImage'
  values: SaidValues
}

export type MatchResult = { image: ImportTargetImage } | { problem: MatchProblem }

const SPLIT_FOLDERS = new Set(['train', 'val', 'valid', 'validation', 'test', 'trainval'])

function addTo(index: Map<string, ImportTargetImage[]>, key: string, image: ImportTargetImage): void {
  const list = index.get(key)
  if (list) list.push(image)
  else index.set(key, [image])
}

const fileNameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1)

export class ImageMatcher {
  private readonly byPath = new Map<string, ImportTargetImage>()
  private readonly byStem = new Map<string, ImportTargetImage[]>()
  private readonly byName = new Map<string, ImportTargetImage[]>()
  private readonly byNameStem = new Map<string, ImportTargetImage[]>()

  constructor(
    images: readonly ImportTargetImage[],
    private readonly imageRoot: string,
  ) {
    for (const image of images) {
      this.byPath.set(image.relativePath, image)
      const { stem } = splitExtension(image.relativePath)
      addTo(this.byStem, stem, image)
      const withExtension = stemWithExtension(image.relativePath)
      if (withExtension !== stem) addTo(this.byStem, withExtension, image)
      const name = fileNameOf(image.relativePath)
      addTo(this.byName, name, image)
      addTo(this.byNameStem, splitExtension(name).stem, image)
    }
  }

  /** A reference relative to the image folder: absolute paths inside it are made relative. */
  private normalize(reference: string): string | undefined {
    if (!isAbsolute(reference)) return reference.replace(/\\/g, '/').replace(/^\.\//, '')
    const inside = relative(this.imageRoot, reference)
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined
    return inside.split(sep).join('/')
  }

  match(references: readonly string[]): MatchResult {
    const candidates = references.map((reference) => this.normalize(reference)).filter((reference): reference is string => reference !== undefined)
    const withoutSplit = candidates.flatMap((reference) => {
      const slash = reference.indexOf('/')
      return slash > 0 && SPLIT_FOLDERS.has(reference.slice(0, slash).toLowerCase()) ? [reference.slice(slash + 1)] : []
    })
    for (const group of [candidates, withoutSplit]) {
      for (const reference of group) {
        const exact = this.byPath.get(reference)
        if (exact) return { image: exact }
      }
      for (const reference of group) {
        const found = this.unique(this.byStem.get(reference)) ?? this.unique(this.byStem.get(splitExtension(reference).stem))
        if (found) return found
      }
    }
    const first = candidates.find((reference) => !isAbsolute(reference)) ?? candidates[0]
    if (first === undefined) return { problem: { key: 'importProblem.noImageNamed', values: {} } }
    const name = fileNameOf(first)
    const byName = this.byName.get(name) ?? this.byNameStem.get(splitExtension(name).stem) ?? this.byNameStem.get(name)
    if (!byName) return { problem: { key: 'importProblem.noImageMatches', values: { name: first } } }
    if (byName.length > 1) {
      const shown = byName.slice(0, 3).map((image) => image.relativePath).join(', ')
      const examples = `${shown}${byName.length > 3 ? ', ...' : ''}`
      return { problem: { key: 'importProblem.ambiguousImage', values: { name: first, count: byName.length, baseName: name, examples } } }
    }
    return { image: byName[0]! }
  }

  private unique(list: ImportTargetImage[] | undefined): { image: ImportTargetImage } | undefined {
    return list && list.length === 1 ? { image: list[0]! } : undefined
  }
}
