import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectMigrations } from '../../../src-main/core/db/migrations'

/**
 * The registry is the truth: every migration in it has its own numbered file exporting exactly
 * that migration, and its own test file named after its version that describes it by number.
 */

const migrationsDir = join(process.cwd(), 'src-main', 'core', 'db', 'migrations')
const testsDir = join(process.cwd(), 'test', 'unit', 'db')
const fourDigits = (version: number) => String(version).padStart(4, '0')
const migrationFiles = readdirSync(migrationsDir).filter((file) => /^\d{4}-.+\.ts$/.test(file)).sort()

describe('migration registry', () => {
  it('numbers its migrations 1, 2, 3, … with no gap, repeat or reordering', () => {
    expect(projectMigrations.map((migration) => migration.version)).toEqual(projectMigrations.map((_, index) => index + 1))
  })

  it('has one numbered file per registered migration, and no numbered file left unregistered', () => {
    expect(migrationFiles.map((file) => Number(file.slice(0, 4)))).toEqual(projectMigrations.map((migration) => migration.version))
  })

  it('takes each migration from its own file, under the name migrationNNNN', async () => {
    for (const migration of projectMigrations) {
      const file = migrationFiles.find((name) => name.startsWith(`${fourDigits(migration.version)}-`))!
      const module = (await import(join(migrationsDir, file))) as Record<string, unknown>
      expect({ file, exported: module[`migration${fourDigits(migration.version)}`] }).toEqual({ file, exported: migration })
    }
  })
})

describe('migration tests', () => {
  it('has test/unit/db/migration-NNNN.test.ts for each registered migration, describing "migration N:"', () => {
    const testFiles = new Set(readdirSync(testsDir))
    const found = projectMigrations.map((migration) => {
      const testFile = `migration-${fourDigits(migration.version)}.test.ts`
      const text = testFiles.has(testFile) ? readFileSync(join(testsDir, testFile), 'utf8') : ''
      return { testFile, describesIt: text.includes(`describe('migration ${migration.version}: `) }
    })
    expect(found).toEqual(projectMigrations.map((migration) => ({ testFile: `migration-${fourDigits(migration.version)}.test.ts`, describesIt: true })))
  })

  it('has no migration test file for a version the registry lacks', () => {
    const registered = new Set(projectMigrations.map((migration) => `migration-${fourDigits(migration.version)}.test.ts`))
    const strays = readdirSync(testsDir).filter((file) => /^migration-\d{4}\.test\.ts$/.test(file) && !registered.has(file))
    expect(strays).toEqual([])
  })
})
