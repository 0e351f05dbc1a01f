import type { ProjectClass } from '@shared/api/types'
import { describe, expect, it } from 'vitest'
import { CLASS_PALETTE, classNameProblem, nextClassColor } from '../../../src-renderer/src/stores/class-names'
import { wordsOf } from './i18n/words-of'

const classes: ProjectClass[] = [
  { id: 1, name: 'Car', color: CLASS_PALETTE[0], order: 0, labelCount: 0, detectionCount: 0 },
  { id: 2, name: 'person', color: CLASS_PALETTE[1], order: 1, labelCount: 0, detectionCount: 0 },
]

/** The problem as the person reads it in one language. */
function problem(name: string, list: readonly ProjectClass[], renamingClassId?: number, language: 'en' | 'zh-CN' = 'en'): string | null {
  const found = classNameProblem(name, list, renamingClassId)
  return found && wordsOf(language).t(found.key, found.values)
}

describe('class names', () => {
  it('accepts a new name, and a class keeping its own name when renamed', () => {
    expect(classNameProblem('traffic cone', classes)).toBeNull()
    expect(classNameProblem('car', classes, 1)).toBeNull()
  })

  it('says what is wrong with an empty, long, control-character or taken name', () => {
    expect(problem('   ', classes)).toBe('Type a name for the class.')
    expect(problem('x'.repeat(101), classes)).toBe('A class name is at most 100 characters.')
    expect(problem('a\tb', classes)).toBe('A class name cannot contain control characters.')
    expect(problem(' CAR ', classes)).toBe('There is already a class named "Car".')
    expect(problem('Person', classes, 1)).toBe('There is already a class named "person".')
    expect(problem('Person', classes, 1, 'zh-CN')).toBe('已有名为“person”的类别。')
  })

  it('offers the first palette colour no class uses yet', () => {
    expect(nextClassColor(classes)).toBe(CLASS_PALETTE[2])
    expect(nextClassColor([])).toBe(CLASS_PALETTE[0])
    const everyColour = CLASS_PALETTE.map((color, index) => ({ ...classes[0]!, id: index + 1, color }))
    expect(CLASS_PALETTE).toContain(nextClassColor(everyColour))
  })
})
