/**
 * Reading import files safely: regular files only (a named pipe, socket or device is never
 * opened: opening a FIFO waits for a writer, and the wait holds one of the few threads every
 * file read, thumbnail and import of the process shares), a size limit per file named in the
 * error, files listed recursively in code-point order (hidden ones skipped, special files named
 * as skipped), and paths relative to what was imported for reports.
 */
import { constants, type Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import { constants as bufferConstants } from 'node:buffer'
import { AppError } from '../../errors'
import { describeFileSystemError, specialFileKind, walkFolder } from '../../files/walk-folder'

const MAX_STRING_LENGTH = bufferConstants.MAX_STRING_LENGTH

/**
 * JSON is parsed whole; past this a file is refused rather than exhausting memory. Never more
 * than the longest string V8 makes (a little under 512 MiB): UTF-8 takes at least one byte per
 * UTF-16 unit, so a file within this many bytes always fits in one string.
 */
export const MAX_JSON_BYTES = Math.min(512 * 1024 * 1024, MAX_STRING_LENGTH)
/** A VOC annotation is a few kilobytes; anything this large is not one. */
export const MAX_XML_BYTES = 16 * 1024 * 1024
export const MAX_TEXT_BYTES = 64 * 1024 * 1024


/** Told about each file a listing leaves out because it is not a regular file, with why. */
export type SkippedFileReporter = (file: string, reason: string) => void

export const skippedReason = (kind: string) => `${kind}, not a regular file; skipped without reading it`

/** Where the platform has it, open() returns at once even on a FIFO instead of waiting for a writer. */
const OPEN_WITHOUT_WAITING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

function refuseSpecial(file: string, stats: Stats): void {
  const kind = specialFileKind(stats) ?? (stats.isDirectory() ? 'a folder' : null)
  if (kind) throw new AppError('invalid-argument', { key: 'importRefused.notRegularFile', values: { file, kind } })
}

/**
 * A regular file's text, refused past `limit`. The file is checked before it is opened, and
 * the open handle again (fstat) before reading, so a file replaced by a FIFO between the two is
 * still never read.
 */
export async function readLimitedText(file: string, limit: number, what: string): Promise<string> {
  refuseSpecial(file, await stat(file))
  const handle = await open(file, OPEN_WITHOUT_WAITING)
  try {
    const stats = await handle.stat()
    refuseSpecial(file, stats)
    if (stats.size > limit) {
      throw new AppError('invalid-argument', { key: 'importRefused.tooLarge', values: { file, size: formatBytes(stats.size), limit: formatBytes(limit), what } })
    }
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

/** Like readLimitedText, or null when there is no such file (an optional class list). */
export async function readOptionalText(file: string, limit: number, what: string): Promise<string | null> {
  try {
    return await readLimitedText(file, limit, what)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readLimitedText(file, MAX_JSON_BYTES, what)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new AppError('invalid-argument', { key: 'importRefused.invalidJson', values: { file, reason: (error as Error).message } })
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : `${bytes} bytes`
}

/**
 * Files under `folder` whose name ends with one of `extensions`, recursively unless told not
 * to, by walkFolder's rules (hidden entries and links left out, sorted). Named pipes, sockets
 * and devices with such a name, and sub-folders that cannot be read, are reported to
 * `onSkipped` and left out.
 */
export async function listFiles(folder: string, extensions: readonly string[], onSkipped: SkippedFileReporter, options: { recursive?: boolean } = {}): Promise<string[]> {
  const walk = await walkFolder(folder, {
    recursive: options.recursive ?? true,
    acceptName: (name) => extensions.some((extension) => name.toLowerCase().endsWith(extension)),
  })
  for (const { path, kind } of walk.specialFiles) onSkipped(path, skippedReason(kind))
  for (const { path, error } of walk.unreadableFolders) onSkipped(`${path}/`, `folder could not be read (${describeFileSystemError(error)}); skipped`)
  return walk.files
}

export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    throw new AppError('not-found', { key: 'importRefused.nothingAt', values: { path } })
  }
}

/** `a\b/./c` → `a/b/c`: forward slashes, no `.` segments. */
export function toForwardSlashes(path: string): string {
  return path.replace(/\\/g, '/').split('/').filter((segment) => segment !== '.' && segment !== '').join('/')
}

export function relativeSource(root: string, file: string): string {
  return relative(root, file).split(sep).join('/') || file
}

/** A class list file: one name a line, blank lines ignored. */
export function parseClassList(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '')
}

/** Whether a value is a finite number (not NaN, not a string holding one). */
export const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
