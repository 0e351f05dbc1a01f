import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { RecentProject } from '@shared/api/types'

const MAX_RECENT = 20
const FILE_NAME = 'recent-projects.json'

interface StoredRecent {
  file: string
  name: string
  openedAt: string
}

function isStoredRecent(value: unknown): value is StoredRecent {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return typeof entry.file === 'string' && typeof entry.name === 'string' && typeof entry.openedAt === 'string'
}

/**
 * The recently opened projects, kept as JSON in the user data folder. Writes go to a
 * temporary file that is renamed over the old one, so a crash never leaves half a list.
 * A damaged list is treated as empty rather than stopping the app.
 */
export class RecentProjects {
  readonly file: string
  private writeQueue: Promise<void> = Promise.resolve()

  constructor(userDataDir: string) {
    this.file = join(userDataDir, FILE_NAME)
  }

  async list(): Promise<RecentProject[]> {
    const entries = await this.readStored()
    return entries.map((entry) => ({ ...entry, exists: existsSync(entry.file) }))
  }

  /** Moves (or adds) a project to the top of the list. */
  remember(file: string, name: string, openedAt = new Date().toISOString()): Promise<void> {
    return this.update((entries) => [{ file, name, openedAt }, ...entries.filter((entry) => entry.file !== file)])
  }

  forget(file: string): Promise<void> {
    return this.update((entries) => entries.filter((entry) => entry.file !== file))
  }

  /** Serialises read-modify-write cycles so two quick opens cannot drop an entry. */
  private update(change: (entries: StoredRecent[]) => StoredRecent[]): Promise<void> {
    const next = this.writeQueue.then(async () => {
      const entries = change(await this.readStored()).slice(0, MAX_RECENT)
      await this.writeAtomically(JSON.stringify({ version: 1, projects: entries }, null, 2))
    })
    this.writeQueue = next.catch(() => undefined)
    return next
  }

  private async readStored(): Promise<StoredRecent[]> {
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch {
      return []
    }
    try {
      const parsed = JSON.parse(text) as { projects?: unknown }
      return Array.isArray(parsed.projects) ? parsed.projects.filter(isStoredRecent) : []
    } catch {
      return []
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true })
    const temporary = `${this.file}.${process.pid}.tmp`
    await writeFile(temporary, text, 'utf8')
    await rename(temporary, this.file)
  }
}
