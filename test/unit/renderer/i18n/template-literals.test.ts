/**
 * User-facing words in Vue templates come from the message catalogues, never written inline:
 * a literal sentence stays English in a Chinese window. No component has literal text, nor a
 * literal title, placeholder, label, aria-label or alt, nor an English sentence in a binding.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const rendererRoot = fileURLToPath(new URL('../../../../src-renderer/src/', import.meta.url))

/** Names that are the same in every language. */
const PROPER_NAMES = ['Retina Workbench', 'RetinaNet', 'Pascal VOC', 'COCO', 'YOLO', 'CSV', 'LabelMe', 'AP50', 'AP75', 'AP']

/** The text without the names that every language writes the same. */
const withoutProperNames = (text: string) => PROPER_NAMES.reduce((rest, name) => rest.split(name).join(' '), text)

function vueFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? vueFiles(path) : name.endsWith('.vue') ? [relative(rendererRoot, path).split('\\').join('/')] : []
  })
}

/** Literal words in a component's template: text between tags, and static attributes people read. */
export function literalWords(source: string): string[] {
  const template = (/<template>([\s\S]*)<\/template>/.exec(source)?.[1] ?? '').replace(/<!--[\s\S]*?-->/g, '')
  const found: string[] = []
  // A file name or extension (`.rwproj`) is the same in every language.
  const words = (text: string) => /[A-Za-z]{2,}|[\u4e00-\u9fff]/.test(withoutProperNames(text)) && !/^[\w.-]*\.\w+$/.test(text)
  for (const match of template.matchAll(/>([^<>]+)</g)) {
    const text = match[1]!.replace(/\{\{[\s\S]*?\}\}/g, '').replace(/&[a-z]+;/g, '').trim()
    if (words(text)) found.push(text)
  }
  for (const match of template.matchAll(/\s(title|placeholder|label|aria-label|alt)="([^"]*)"/g)) {
    if (words(match[2]!.trim())) found.push(`${match[1]}="${match[2]}"`)
  }
  // Sentences written as string literals inside {{ }} and bound attributes (:title="…").
  const expressions = [...template.matchAll(/\{\{([\s\S]*?)\}\}/g), ...template.matchAll(/\s(?::|v-bind:)[\w-]+="([^"]*)"/g)].map((match) => match[1]!)
  for (const expression of expressions) {
    for (const literal of expression.matchAll(/'([^']*)'|`([^`]*)`/g)) {
      const text = (literal[1] ?? literal[2]!).replace(/\$\{[^}]*\}/g, '')
      const key = /^[a-z][\w]*(\.[\w]+)+$/.test(text)
      if (!key && /[A-Z][a-z]|[a-z] [a-z]|[A-Za-z]…/.test(withoutProperNames(text))) found.push(text.trim())
    }
  }
  return found
}

describe('template literals', () => {
  const files = vueFiles(rendererRoot)

  it('finds literal words in text and attributes, and none in bound ones', () => {
    expect(literalWords('<template><p title="Open it">Hello {{ name }}</p><b :title="t(\'x\')">{{ t(\'y\') }}</b></template>')).toEqual([
      'Hello',
      'title="Open it"',
    ])
    expect(literalWords('<template><h1>Retina Workbench</h1><!-- a comment --><span>✕</span></template>')).toEqual([])
    expect(literalWords("<template><i :title=\"busy ? 'Working…' : t('start.title')\">{{ state === 'failed' ? `${name} could not load` : t('x.y') }}</i></template>")).toEqual([
      'could not load',
      'Working…',
    ])
  })

  it('has no literal words in any component', () => {
    expect(files.length).toBeGreaterThan(40)
    for (const file of files) {
      expect({ file, literals: literalWords(readFileSync(join(rendererRoot, file), 'utf8')) }).toEqual({ file, literals: [] })
    }
  })
})
