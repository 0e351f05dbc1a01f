/**
 * Reading import files safely: a size limit per file named in the error, files listed
 * recursively in code-point order (hidden ones skipped), and paths relative to what was
 * imported for reports.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { AppError } from '../../errors'

/** JSON is parsed whole; past this a file is refused rather than exhausting memory. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024
/** A VOC annotation is a few kilobytes; anything this large is not one. */
export const MAX_XML_BYTES = 16 * 1024 * 1024
export const MAX_TEXT_BYTES = 64 * 1024 * 1024

export async function readLimitedText(file: string, limit: number, what: string): Promise<string> {
  const size = (await stat(file)).size
  if (size > limit) {
    throw new AppError('invalid-argument', `${file} is ${formatBytes(size)}, over the ${formatBytes(limit)} limit for ${what} files; split it into smaller files.`)
  }
  return readFile(file, 'utf8')
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readLimitedText(file, MAX_JSON_BYTES, what)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new AppError('invalid-argument', `${file} is not valid JSON (${(error as Error).message}); nothing was imported.`)
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : `${bytes} bytes`
}

const compareCodePoints = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Files under `folder` whose name ends with one of `extensions`, recursively, sorted. */
export async function listFiles(folder: string, extensions: readonly string[]): Promise<string[]> {
  const found: string[] = []
  const walk = async (current: string) => {
    const entries = await readdir(current, { withFileTypes: true })
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = join(current, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile() && extensions.some((extension) => entry.name.toLowerCase().endsWith(extension))) found.push(path)
    }
  }
  await walk(folder)
  return found.sort(compareCodePoints)
}

export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    throw new AppError('not-found', `There is nothing at ${path} to import.`)
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
