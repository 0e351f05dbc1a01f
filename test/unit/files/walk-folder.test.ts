import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { relativeForwardPath, walkFolder } from '../../../src-main/core/files/walk-folder'

let root: string
let outside: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rw-walk-'))
  outside = await mkdtemp(join(tmpdir(), 'rw-walk-outside-'))
  for (const folder of ['b', 'a', 'a/z', '.hidden']) await mkdir(join(root, folder), { recursive: true })
  for (const file of ['b.png', 'a/x.png', 'a/z/y.png', 'a/readme.txt', '.hidden/h.png', 'a/.secret.png', 'B.png']) await writeFile(join(root, file), 'x')
  await writeFile(join(outside, 'o.png'), 'x')
  await symlink(join(outside, 'o.png'), join(root, 'link.png'))
  await symlink(outside, join(root, 'linked-folder'))
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

const relative = (files: string[]) => files.map((file) => relativeForwardPath(root, file))

describe('walkFolder', () => {
  it('lists regular files in code-point order of their relative path, leaving out hidden entries and links', async () => {
    const walk = await walkFolder(root)
    expect(relative(walk.files)).toEqual(['B.png', 'a/readme.txt', 'a/x.png', 'a/z/y.png', 'b.png'])
    expect(walk.unreadableFolders).toEqual([])
    expect(walk.specialFiles).toEqual([])
  })

  it('stays in the folder itself when not recursive, and keeps only the names the caller accepts', async () => {
    expect(relative((await walkFolder(root, { recursive: false })).files)).toEqual(['B.png', 'b.png'])
    expect(relative((await walkFolder(root, { acceptName: (name) => name.endsWith('.txt') })).files)).toEqual(['a/readme.txt'])
  })

  it('reports a named pipe it would take instead of listing it', async (context) => {
    try {
      execFileSync('mkfifo', [join(root, 'a', 'pipe.png')])
    } catch {
      context.skip('mkfifo is not available here')
    }
    const walk = await walkFolder(root)
    expect(walk.specialFiles).toEqual([{ path: join(root, 'a', 'pipe.png'), kind: 'a named pipe (FIFO)' }])
    expect(relative(walk.files)).not.toContain('a/pipe.png')
    expect((await walkFolder(root, { acceptName: (name) => name.endsWith('.txt') })).specialFiles).toEqual([])
  })

  it('throws when the folder itself cannot be listed, and stops when asked', async () => {
    await expect(walkFolder(join(root, 'no-such-folder'))).rejects.toMatchObject({ code: 'ENOENT' })
    const controller = new AbortController()
    controller.abort()
    await expect(walkFolder(root, { signal: controller.signal })).rejects.toThrow()
  })
})
