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

    it(`answers 401 to ${name} with a wrong token`, async () => {
      const wrong = `${harness.server.token.slice(0, -1)}${harness.server.token.endsWith('A') ? 'B' : 'A'}`
      const response = await fetch(`${harness.server.origin}${path}?token=${wrong}`, {
        ...init,
        headers: { Authorization: `Bearer ${wrong}`, Cookie: `rw_token_${harness.server.port}=${wrong}` },
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

  it('accepts the token as ?token= and sets an HttpOnly SameSite=Strict cookie on the page', async () => {
    const response = await fetch(harness.server.url)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('test renderer')
    const cookie = response.headers.get('set-cookie')!
    // Named after the port: another server on 127.0.0.1 keeps its own cookie.
    expect(cookie).toContain(`rw_token_${harness.server.port}=${harness.server.token}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe-')
  })

  it('accepts the cookie alone', async () => {
    const response = await fetch(`${harness.server.origin}/api/project.current`, {
      method: 'POST',
      body: '{}',
      headers: { Cookie: `other=1; rw_token_${harness.server.port}=${harness.server.token}`, 'Content-Type': 'application/json' },
    })
    expect(await response.json()).toEqual({ ok: true, value: null })
  })

  it("ignores another server's cookie, even with this server's token in it", async () => {
    const response = await fetch(`${harness.server.origin}/api/project.current`, {
      method: 'POST',
      body: '{}',
      headers: { Cookie: `rw_token_${harness.server.port + 1}=${harness.server.token}`, 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(401)
    await response.body?.cancel()
  })
})
