/**
 * XML parsing for untrusted annotation files. Document type declarations are refused outright
 * (they are how entity expansion — billion laughs — and external entities reach a parser),
 * entity processing in fast-xml-parser is off, and only XML's five predefined entities and
 * numeric character references are decoded, by hand, without any expansion.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { AppError } from '../../errors'

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
      // XML allows no character reference to NUL, a surrogate or beyond U+10FFFF: such a
      // reference stays as written (it then matches no file) instead of failing the import.
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
      return valid ? String.fromCodePoint(code) : whole
    }
    return PREDEFINED[name] ?? whole
  })
}

/** Parses an annotation XML file's text; `arrays` names elements that may repeat. */
export function parseUntrustedXml(text: string, file: string, arrays: readonly string[]): Record<string, unknown> {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new AppError('invalid-argument', { key: 'importRefused.xmlDoctype', values: { file } })
  }
  const notWellFormed = (reason: string) => new AppError('invalid-argument', { key: 'importRefused.notWellFormedXml', values: { file, reason } })
  let valid: ReturnType<typeof XMLValidator.validate>
  try {
    valid = XMLValidator.validate(text)
  } catch (error) {
    throw notWellFormed((error as Error).message)
  }
  if (valid !== true) throw notWellFormed(`line ${valid.err.line}: ${valid.err.msg}`)
  const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => arrays.includes(name),
  })
  try {
    return parser.parse(text) as Record<string, unknown>
  } catch (error) {
    // The parser's own limits (e.g. 200,000 nested tags) and odd characters throw plain errors.
    throw notWellFormed((error as Error).message)
  }
}
