/**
 * A train/val(/test) split that is stable across exports: an image's split depends only on its
 * relative path (hashed) and the fractions, never on which other images are exported or in
 * what order. Adding images to a project therefore never moves an existing image to another
 * split.
 */
import { AppError } from '../errors'

export interface SplitPart {
  name: string
  fraction: number
}

const NAME_PATTERN = /^[A-Za-z0-9_-]+$/

/** Parses `train=0.8,val=0.2` (fractions summing to 1). */
export function parseSplit(text: string): SplitPart[] {
  const parts = text.split(',').map((entry) => {
    const [name, value, ...rest] = entry.split('=')
    const fraction = Number(value)
    if (!name || !NAME_PATTERN.test(name) || value === undefined || rest.length > 0 || value.trim() === '' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      throw new AppError('invalid-argument', `"${entry}" is not a split part; write name=fraction, e.g. train=0.8,val=0.2.`)
    }
    return { name, fraction }
  })
  const names = new Set(parts.map((part) => part.name))
  if (names.size !== parts.length) throw new AppError('invalid-argument', `The split "${text}" names a part twice.`)
  const total = parts.reduce((sum, part) => sum + part.fraction, 0)
  if (Math.abs(total - 1) > 1e-6) throw new AppError('invalid-argument', `The split fractions add up to ${total}, not 1.`)
  return parts
}

/** FNV-1a (32 bit) of the path's UTF-8 bytes: fast, well spread, the same on every platform. */
export function hashPath(path: string): number {
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(path)) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** The part an image falls in: its hash as a fraction in [0, 1) against the cumulative fractions. */
export function splitOf(relativePath: string, parts: readonly SplitPart[]): string {
  const position = hashPath(relativePath) / 2 ** 32
  let cumulative = 0
  for (const part of parts) {
    cumulative += part.fraction
    if (position < cumulative) return part.name
  }
  // Rounding can leave the last sliver uncovered; it belongs to the last non-empty part.
  return [...parts].reverse().find((part) => part.fraction > 0)?.name ?? parts[parts.length - 1]!.name
}
