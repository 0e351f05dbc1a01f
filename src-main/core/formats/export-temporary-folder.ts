/**
 * The hidden folder an export is written into beside its destination, and the removal of such
 * folders a killed export left behind.
 *
 * The name says who owns the folder: `.<destination>.partial-<host>-<pid>-<time>`, where
 * <host> is a short hash of this machine's host name. A folder is stale, and removed, only when
 * its name is exactly of that form, it was made on this machine, and its process is gone (or is
 * this process, which is not exporting into it). A folder of a process that is alive, or of
 * another machine sharing the folder over a network, is never touched; so is anything else.
 * Folders named before the host was recorded (`.<destination>.partial-<pid>-<time>`) are
 * judged by their process alone.
 */
import { createHash } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'

const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 6)

const TEMPORARY_NAME = /^\..+\.partial-(?:([0-9a-f]{6})-)?(\d+)-[0-9a-z]+$/

/** Temporary folders of exports in progress in this process. */
const inProgress = new Set<string>()

/** The temporary folder name of an export to `destinationName` by process `pid` on this machine. */
export function temporaryFolderName(destinationName: string, pid: number, time = Date.now()): string {
  return `.${destinationName}.partial-${HOST_TAG}-${pid}-${time.toString(36)}`
}

/** A fresh temporary folder path for an export to `final`, owned by this process until released. */
export function claimTemporaryFolder(final: string): string {
  const temporary = join(dirname(final), temporaryFolderName(basename(final), process.pid))
  inProgress.add(temporary)
  return temporary
}

export function releaseTemporaryFolder(temporary: string): void {
  inProgress.delete(temporary)
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether `name` in `parent` is a temporary export folder no live export owns. */
export function isStaleTemporaryFolder(parent: string, name: string): boolean {
  const match = TEMPORARY_NAME.exec(name)
  if (!match) return false
  const [, host, pidText] = match
  if (host !== undefined && host !== HOST_TAG) return false
  const pid = Number(pidText)
  if (pid === process.pid) return !inProgress.has(join(parent, name))
  return !processIsAlive(pid)
}

/**
 * Removes the stale temporary export folders directly in `parent` (see the rule above) and
 * returns their names. A folder that cannot be read or removed is left as it is: cleaning up
 * never stops an export.
 */
export async function removeStaleTemporaryFolders(parent: string): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => [])
  const removed: string[] = []
  for (const entry of entries) {
    if (!entry.isDirectory() || !isStaleTemporaryFolder(parent, entry.name)) continue
    try {
      await rm(join(parent, entry.name), { recursive: true, force: true })
      removed.push(entry.name)
    } catch {
      // Someone else's permissions, or removed meanwhile: not this export's concern.
    }
  }
  return removed
}

/**
 * Removes the stale temporary folders in each of `folders` (a project's export folders, swept
 * when it opens); returns their paths. Nothing here fails: a folder gone or unreadable is skipped.
 */
export async function removeStaleExportFolders(folders: readonly string[]): Promise<string[]> {
  const removed: string[] = []
  for (const folder of folders) {
    for (const name of await removeStaleTemporaryFolders(folder)) removed.push(join(folder, name))
  }
  return removed
}
