import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ServerHarness, startHarness } from './server-harness'

let harness: ServerHarness

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness.stop()
})

describe('token check', () => {
  const protectedRequests: Array<[string, string, RequestInit?]> = [
    ['POST /api/app.info', '/api/app.info', { method: 'POST', body: '{}' }],
    ['POST /api/unknown', '/api/unknown', { method: 'POST', body: '{}' }],
    ['GET /events', '/events'],
    ['GET /image/1', '/image/1'],
    ['GET /thumb/1', '/thumb/1'],
    ['GET /', '/'],
    ['GET /assets/app.js', '/assets/app.js'],
  ]

  for (const [name, path, init] of protectedRequests) {
    it(`answers 401 to ${name} without a token`, async () => {
      const response = await fetch(`${harness.server.origin}${path}`, init)
      expect(response.status).toBe(401)
      await response.body?.cancel()
    })

    it(`answers 401 to ${name} with a wrong token in the path, a header or a cookie`, async () => {
      const wrong = `${harness.server.token.slice(0, -1)}${harness.server.token.endsWith('A') ? 'B' : 'A'}`
      const response = await fetch(`${harness.server.origin}/${wrong}${path}`, {
        ...init,
        redirect: 'manual',
        headers: { Authorization: `Bearer ${wrong}`, Cookie: `rw_token_${harness.server.port}=${harness.server.token}` },
      })
      expect(response.status).toBe(401)
      await response.body?.cancel()
    })
  }

  it('returns an error value with code unauthorized on the API', async () => {
    const response = await fetch(`${harness.server.origin}/api/app.info`, { method: 'POST', body: '{}' })
    expect(await response.json()).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'A valid access token is required.' },
    })
  })

  it('accepts the token as a Bearer header', async () => {
    const { status, body } = await harness.call('app.info', {})
    expect(status).toBe(200)
    expect(body).toEqual({
      ok: true,
      value: { name: 'Retina Workbench', version: '0.0.0-test', transport: 'http', canPickPaths: false },
    })
  })

  it('serves the page under /<token>/, the address it prints, with no cookie and no referrer', async () => {
    expect(harness.server.url).toBe(`${harness.server.origin}/${harness.server.token}/`)
    const response = await fetch(harness.server.url)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('test renderer')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-')
  })

  it('answers the API, events and images under the same prefix without any header', async () => {
    const response = await fetch(`${harness.server.url}api/project.current`, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(await response.json()).toEqual({ ok: true, value: null })
    const image = await fetch(`${harness.server.url}image/1`)
    expect(image.status).toBe(404) // signed in; there is just no project open
    await image.body?.cancel()
  })

  it('redirects /<token> and the old /?token= address to /<token>/, keeping other query parameters', async () => {
    const bare = await fetch(`${harness.server.origin}/${harness.server.token}`, { redirect: 'manual' })
    expect(bare.status).toBe(303)
    expect(bare.headers.get('location')).toBe(`/${harness.server.token}/`)
    const old = await fetch(`${harness.server.origin}/?token=${harness.server.token}&lang=en`, { redirect: 'manual' })
    expect(old.status).toBe(303)
    expect(old.headers.get('location')).toBe(`/${harness.server.token}/?lang=en`)
    expect(old.headers.get('set-cookie')).toBeNull()
  })

  it('no longer accepts the token as a cookie: browsers send cookies to every port of a host', async () => {
    const response = await fetch(`${harness.server.origin}/api/project.current`, {
      method: 'POST',
      body: '{}',
      headers: { Cookie: `rw_token_${harness.server.port}=${harness.server.token}`, 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(401)
    await response.body?.cancel()
  })
})
