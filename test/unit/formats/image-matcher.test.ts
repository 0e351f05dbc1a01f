import { describe, expect, it } from 'vitest'
import { ImageMatcher } from '../../../src-main/core/formats/image-matcher'
import { inEnglish } from '../../../src-shared/messages/said'

const images = ['a/x.jpg', 'b/x.jpg', 'pair/shot.jpg', 'pair/shot.png', 'solo/only.png', 'nested/deeper/eta.jpg'].map((relativePath, index) => ({
  id: index + 1,
  relativePath,
  width: 10,
  height: 10,
  touched: false,
}))
const matcher = new ImageMatcher(images, '/data/images')
const matched = (references: string[]) => {
  const result = matcher.match(references)
  // The problem as an import lists it, for an entry of one box.
  return 'image' in result ? result.image.relativePath : inEnglish({ key: result.problem.key, values: { ...result.problem.values, boxes: 1 } })
}

describe('ImageMatcher', () => {
  it('matches the relative path exactly first', () => expect(matched(['a/x.jpg'])).toBe('a/x.jpg'))
  it('matches a path without extension (YOLO label files, VOC ids)', () => expect(matched(['nested/deeper/eta'])).toBe('nested/deeper/eta.jpg'))
  it('matches the stem form exports use when stems collide', () => {
    expect(matched(['pair/shot_png'])).toBe('pair/shot.png')
    expect(matched(['pair/shot_jpg'])).toBe('pair/shot.jpg')
  })
  it('drops a leading split folder', () => expect(matched(['val/solo/only'])).toBe('solo/only.png'))
  it('makes absolute paths inside the image folder relative', () => expect(matched(['/data/images/b/x.jpg'])).toBe('b/x.jpg'))
  it('falls back to a unique file name', () => expect(matched(['elsewhere/only.png'])).toBe('solo/only.png'))
  it('reports a file name several images share instead of guessing', () =>
    expect(matched(['elsewhere/x.jpg'])).toBe('"elsewhere/x.jpg" is ambiguous: 2 project images are named "x.jpg" (a/x.jpg, b/x.jpg); its 1 boxes are left out'))
  it('reports a stem two images share', () => expect(matched(['pair/shot'])).toMatch(/ambiguous: 2 project images/))
  it('reports an image it cannot find', () => expect(matched(['nothing.png'])).toBe('no project image matches "nothing.png"; its 1 boxes are left out'))
  it('refuses absolute paths outside the image folder', () => expect(matched(['/etc/passwd'])).toBe('it names no image inside the project folder; its 1 boxes are left out'))
})
