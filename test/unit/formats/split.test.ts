import { describe, expect, it } from 'vitest'
import { hashPath, parseSplit, splitOf } from '../../../src-main/core/formats/split'

describe('stable split', () => {
  it('parses fractions that add up to 1', () => {
    expect(parseSplit('train=0.8,val=0.2')).toEqual([{ name: 'train', fraction: 0.8 }, { name: 'val', fraction: 0.2 }])
    expect(parseSplit('train=0.7,val=0.2,test=0.1')).toHaveLength(3)
  })
  it.each(['train=0.8,val=0.1', 'train', 'train=x', 'train=0.5,train=0.5', 'a b=1', 'train=1.5,val=-0.5', 'train=0.8=1'])('refuses "%s"', (text) =>
    expect(() => parseSplit(text)).toThrow(),
  )
  it('hashes the UTF-8 bytes of the path (FNV-1a)', () => {
    // Reference values of 32-bit FNV-1a.
    expect(hashPath('')).toBe(0x811c9dc5)
    expect(hashPath('a')).toBe(0xe40c292c)
    expect(hashPath('foobar')).toBe(0xbf9cf968)
  })
  it('puts an image in the same split whatever else is exported, close to the fractions', () => {
    const parts = parseSplit('train=0.8,val=0.2')
    const paths = Array.from({ length: 5000 }, (_, index) => `folder ${index % 7}/image-${index}.jpg`)
    const first = paths.map((path) => splitOf(path, parts))
    const again = [...paths].reverse().map((path) => splitOf(path, parts)).reverse()
    expect(again).toEqual(first)
    const train = first.filter((split) => split === 'train').length / paths.length
    expect(train).toBeGreaterThan(0.77)
    expect(train).toBeLessThan(0.83)
  })
  it('never uses a part of fraction 0', () => {
    const parts = parseSplit('train=1,val=0')
    expect(new Set(Array.from({ length: 500 }, (_, index) => splitOf(`${index}.png`, parts)))).toEqual(new Set(['train']))
  })
})
