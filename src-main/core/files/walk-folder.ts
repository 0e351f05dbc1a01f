import type { Dirent } from 'node:fs'
import { opendir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

/**
 * The one way this app lists the files of a folder: a scan, a batch detection and an import
 * all see the same files, by the same rules.
 *
 * - Hidden entries (a name starting with `.`) are left out, folders included.
 * - Symbolic links are left out, never followed: following them could loop or leave the folder.
 * - A named pipe, socket or device that the caller would otherwise take is reported in
 *   `specialFiles` and never opened (opening a FIFO waits for a writer).
 * - A sub-folder that cannot be read is reported in `unreadableFolders` and skipped; the folder
 *   asked for must be readable (its error is thrown as it is, for the caller to word).
 * - Files come sorted by their path relative to the folder, in code-point order, so two
 *   listings of the same folder agree on every machine.
 */

export interface WalkOptions {
  /** Into sub-folders (the default), or only the folder itself. */
  recursive?: boolean
  signal?: AbortSignal
  /** Which names the caller wants (an extension, say); every name when left out. */
  acceptName?: (name: string) => boolean
}

export interface FolderWalk {
  /** Regular files, absolute paths, in code-point order of their relative path. */
  files: string[]
  unreadableFolders: Array<{ path: string; error: unknown }>
  /** Entries the caller would take that are not regular files: what they are, in words. */
  specialFiles: Array<{ path: string; kind: string }>
}

/** What an entry that is neither a regular file, a folder nor a link is, in words; null otherwise. */
export function specialFileKind(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string | null {
  if (entry.isFIFO()) return 'a named pipe (FIFO)'
  if (entry.isSocket()) return 'a socket'
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device'
  return null
}

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Forward-slash path of `file` relative to `root`. */
export function relativeForwardPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/')
}

export async function walkFolder(root: string, options: WalkOptions = {}): Promise<FolderWalk> {
  const walk: FolderWalk = { files: [], unreadableFolders: [], specialFiles: [] }
  const accept = options.acceptName ?? (() => true)
  const pending = [root]
  while (pending.length > 0) {
    options.signal?.throwIfAborted()
    const folder = pending.pop()!
    const entries: Dirent[] = []
    try {
      for await (const entry of await opendir(folder)) entries.push(entry)
    } catch (error) {
      if (folder === root) throw error
      walk.unreadableFolders.push({ path: folder, error })
      continue
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = join(folder, entry.name)
      if (entry.isDirectory()) {
        if (options.recursive ?? true) pending.push(path)
      } else if (accept(entry.name)) {
        if (entry.isFile()) walk.files.push(path)
        else {
          const kind = specialFileKind(entry)
          if (kind) walk.specialFiles.push({ path, kind })
        }
      }
    }
  }
  walk.files = sortedByRelativePath(root, walk.files, (path) => path)
  walk.unreadableFolders = sortedByRelativePath(root, walk.unreadableFolders, (item) => item.path)
  walk.specialFiles = sortedByRelativePath(root, walk.specialFiles, (item) => item.path)
  return walk
}

/** Sorted by the code points of each item's path relative to `root`, each key computed once. */
function sortedByRelativePath<T>(root: string, items: readonly T[], pathOf: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: relativeForwardPath(root, pathOf(item)) }))
    .sort((a, b) => compareCodePoints(a.key, b.key))
    .map(({ item }) => item)
}

/** "permission denied" rather than "EACCES: permission denied, opendir '/x/y'". */
export function describeFileSystemError(error: unknown): string {
  const code = (error as { code?: unknown }).code
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOENT':
      return 'it does not exist'
    case 'EINVAL':
      return 'this kind of folder cannot be listed'
    case 'EIO':
      return 'a disk input/output error'
    default: {
      const message = error instanceof Error ? error.message : String(error)
      return message.split('\n')[0]!.slice(0, 200)
    }
  }
}
