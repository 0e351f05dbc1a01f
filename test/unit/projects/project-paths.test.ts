import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  defaultProjectFile,
  resolveImagePath,
  resolveStoredImageRoot,
  toStoredImageRoot,
} from '../../../src-main/core/projects/project-paths'
import { toStoredPath } from '../../../src-main/core/images/scan'

describe('project paths', () => {
  it('puts a new project file inside the image folder, named after it', () => {
    expect(defaultProjectFile('/data/birds')).toBe(join('/data/birds', 'birds.rwproj'))
    expect(defaultProjectFile('/data/birds/')).toBe(join('/data/birds', 'birds.rwproj'))
  })

  it.each([
    ['/data/birds/birds.rwproj', '/data/birds', '.'],
    ['/data/projects/birds.rwproj', '/data/birds', '../birds'],
    ['/data/birds.rwproj', '/data/birds/2024/june', 'birds/2024/june'],
  ])('stores the image root of %s for %s as %s', (projectFile, imageFolder, stored) => {
    expect(toStoredImageRoot(projectFile, imageFolder)).toBe(stored)
    expect(resolveStoredImageRoot(projectFile, stored)).toBe(imageFolder)
  })

  it('resolves a stored root against wherever the project file is now', () => {
    expect(resolveStoredImageRoot('/mnt/usb/projects/birds.rwproj', '../birds')).toBe('/mnt/usb/birds')
  })

  it('stores image paths with forward slashes', () => {
    expect(toStoredPath('/data/birds', join('/data/birds', 'a', 'b', 'c.jpg'))).toBe('a/b/c.jpg')
  })

  it.each(['../outside.jpg', '../../etc/passwd', 'a/../../b.jpg', '/etc/passwd', ''])(
    'refuses a stored image path %j that leaves the image root',
    (stored) => {
      expect(() => resolveImagePath('/data/birds', stored)).toThrow(/outside the image folder/)
    },
  )

  it('resolves a normal stored image path inside the root', () => {
    expect(resolveImagePath('/data/birds', 'a/b.jpg')).toBe(join('/data/birds', 'a', 'b.jpg'))
  })
})
