import { describe, expect, it } from 'vitest'
import { classNameProblem } from '../../../src-shared/api/class-name'
import { classCreateArgs } from '../../../src-shared/api/label-schemas'

describe('the one class-name rule', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['bad\u0000\r\nname', /control characters/],
    ['bad\nline', /control characters/],
    ['tab\there', /control characters/],
    ['\ud800', /valid Unicode/],
    ['a\udc00b', /valid Unicode/],
    ['x'.repeat(101), /at most 100 characters; this one has 101/],
  ])('refuses %j', (name, reason) => {
    expect(classNameProblem(name)).toMatch(reason)
    expect(classCreateArgs.safeParse({ name }).success).toBe(false)
  })

  it.each(['cat', '猫', '🐈 cat', 'x'.repeat(100), '  padded  '])('accepts %j, trimmed', (name) => {
    expect(classNameProblem(name)).toBeNull()
    expect(classCreateArgs.parse({ name }).name).toBe(name.trim())
  })
})
