import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectMigrations } from '../../../src-main/core/db/migrations'

const migrationsDir = join(process.cwd(), 'src-main', 'core', 'db', 'migrations')
const migrationFiles = readdirSync(migrationsDir).filter((file) => /^\d{4}-.+\.ts$/.test(file)).sort()

describe('migration files', () => {
  it('registers every numbered migration file, in file order', () => {
    expect(projectMigrations.map((migration) => migration.version)).toEqual(
      migrationFiles.map((file) => Number(file.slice(0, 4))),
    )
  })

  it('has a test file for every migration (a test under test/unit/db named after its number)', () => {
    const testFiles = readdirSync(join(process.cwd(), 'test', 'unit', 'db'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.test.ts'),
    )
    const untested = migrationFiles.filter((file) => !testFiles.some((testFile) => testFile.includes(file.slice(0, 4))))
    expect(untested).toEqual([])
  })
})
