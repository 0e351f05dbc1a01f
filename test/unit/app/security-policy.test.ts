import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { locateElectronSqliteBinding } from '../../../src-main/app/native-sqlite'
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isTrustedSender,
  secureWebPreferences,
} from '../../../src-main/app/security-policy'

describe('isAppUrl', () => {
  it.each([APP_ENTRY_URL, 'rw-app://renderer/assets/index-abc.js', 'rw-app://renderer/'])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true)
  })

  it.each([
    'rw-app://renderer.evil/index.html',
    'rw-app://evil/index.html',
    'rw-app://renderer@evil.com/',
    'file:///work/out/renderer/index.html',
    'https://renderer/index.html',
    'http://localhost:5173/',
    'rw-image://project/image/1',
    'javascript:alert(1)',
    'about:blank',
    'not a url',
    '',
  ])('rejects %s', (url) => {
    expect(isAppUrl(url)).toBe(false)
  })

  it('accepts the dev server only when one was given, and only its exact origin', () => {
    const dev = 'http://localhost:5173/'
    expect(isAppUrl('http://localhost:5173/src/main.ts', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('http://localhost:5173@evil.com/', dev)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false)
  })
})

describe('isTrustedSender', () => {
  it('trusts only the top frame of the app page', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true)
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} })).toBe(false)
    expect(isTrustedSender({ url: 'https://example.com/', parent: null })).toBe(false)
    expect(isTrustedSender(null)).toBe(false)
    expect(isTrustedSender(undefined)).toBe(false)
  })
})

describe('window and content policy', () => {
  it('isolates and sandboxes the renderer', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    })
  })

  it('allows scripts only from the app and images from the image scheme', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((directive) => {
      const [name, ...values] = directive.split(' ')
      return [name, values] as const
    }))
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('img-src')).toContain('rw-image:')
    expect(directives.get('style-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-')
  })
})

describe('locateElectronSqliteBinding', () => {
  it('explains how to get a missing binding', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rw-native-'))
    const lookup = locateElectronSqliteBinding(root, '45.3.4')
    expect(lookup.ok).toBe(false)
    if (!lookup.ok) expect(lookup.message).toContain('npm run setup:electron')
    await rm(root, { recursive: true, force: true })
  })

  it('refuses a binding built for another Electron version', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rw-native-'))
    await mkdir(join(root, 'native', 'electron'), { recursive: true })
    await writeFile(join(root, 'native', 'electron', 'better_sqlite3.node'), '')
    await writeFile(join(root, 'native', 'electron', 'build-info.json'), JSON.stringify({ electron: '44.0.0' }))
    const mismatch = locateElectronSqliteBinding(root, '45.3.4')
    expect(mismatch.ok).toBe(false)
    if (!mismatch.ok) expect(mismatch.message).toMatch(/built for Electron 44\.0\.0.*Electron 45\.3\.4/)
    const match = locateElectronSqliteBinding(root, '44.0.0')
    expect(match).toEqual({ ok: true, path: join(root, 'native', 'electron', 'better_sqlite3.node') })
    await rm(root, { recursive: true, force: true })
  })
})
