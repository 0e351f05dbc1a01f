import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  defaultProjectFile,
  invalidImageRootReason,
  resolveImagePath,
  resolveStoredImageRoot,
  toStoredImageRoot,
} from '../../../src-main/core/projects/project-paths'
import { toStoredPath } from '../../../src-main/core/images/scan'
import { foreignPathReason } from '../../../src-main/core/user-paths'

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

describe('invalidImageRootReason', () => {
  it.each(['/etc', '/etc/ssl', '/proc/self', '/sys', '/dev', '/boot', '/run/user'])('refuses the system folder %s on Linux', (folder) => {
    expect(invalidImageRootReason(folder, 'linux')).toBe('is a system folder, not a folder of images')
  })

  it.each(['/etcetera', '/home/me/etc', '/data/dev', '/srv/images'])('takes %s, which only resembles a system folder', (folder) => {
    expect(invalidImageRootReason(folder, 'linux')).toBeUndefined()
  })
})

describe('foreignPathReason', () => {
  it.each(['C:\\out', 'c:/out', '\\\\srv\\share'])('names %s a Windows path on Linux, not on Windows', (path) => {
    expect(foreignPathReason(path, 'linux')).toMatch(/is a Windows path/)
    expect(foreignPathReason(path, 'win32')).toBeUndefined()
  })

  it.each(['/out', 'relative/out', 'C:', 'name:with-colon'])('takes %s on Linux', (path) => {
    expect(foreignPathReason(path, 'linux')).toBeUndefined()
  })
})
