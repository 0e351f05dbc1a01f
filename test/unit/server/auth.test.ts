import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { classifyRequest, redactToken } from '../../../src-main/server/auth'

const TOKEN = 'k3y-Of_Exactly-43-characters-aaaaaaaaaaaaa'

function classify(path: string, authorization?: string) {
  const request = { headers: authorization ? { authorization } : {} } as IncomingMessage
  return classifyRequest(request, new URL(path, 'http://127.0.0.1'), TOKEN)
}

describe('classifyRequest', () => {
  it('strips the token folder and hands on the rest of the path', () => {
    expect(classify(`/${TOKEN}/`)).toEqual({ kind: 'app', path: '/' })
    expect(classify(`/${TOKEN}/api/app.info`)).toEqual({ kind: 'app', path: '/api/app.info' })
    expect(classify(`/${TOKEN}/image/3?v=x.1`)).toEqual({ kind: 'app', path: '/image/3' })
  })

  it('asks for the trailing slash the page needs for its relative URLs', () => {
    expect(classify(`/${TOKEN}`)).toEqual({ kind: 'add-slash', path: '/' })
  })

  it('accepts a bearer header on unprefixed paths, and ?token= only on /', () => {
    expect(classify('/api/app.info', `Bearer ${TOKEN}`)).toEqual({ kind: 'header', path: '/api/app.info' })
    expect(classify(`/?token=${TOKEN}`)).toEqual({ kind: 'legacy-query', path: '/' })
    expect(classify(`/api/app.info?token=${TOKEN}`).kind).toBe('refused')
  })

  it('refuses a prefix that is the token with one character changed, cut short or extended', () => {
    for (const wrong of [`${TOKEN.slice(0, -1)}b`, TOKEN.slice(0, -1), `${TOKEN}a`, '', 'api']) {
      expect(classify(`/${wrong}/api/app.info`).kind).toBe('refused')
    }
  })
})

describe('redactToken', () => {
  it('replaces every occurrence of the token for log lines', () => {
    expect(redactToken(`/${TOKEN}/image/1?x=${TOKEN}`, TOKEN)).toBe('/<token>/image/1?x=<token>')
    expect(redactToken('/plain', '')).toBe('/plain')
  })
})
