import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HTTP_MAX_BODY_BYTES } from '@shared/api/wire'
import { type ServerHarness, startHarness } from './server-harness'

let harness: ServerHarness

beforeAll(async () => {
  harness = await startHarness()
})

afterAll(async () => {
  await harness.stop()
})

/** Sends a body in chunks without a Content-Length, the way a streaming client would. */
function postChunked(path: string, token: string, chunk: Buffer, chunks: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${harness.server.origin}${path}`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Transfer-Encoding': 'chunked', 'Content-Type': 'application/json' },
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (data: string) => (body += data))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      },
    )
    // The server closes the connection once it has answered; later writes may fail.
    req.on('error', (error) => reject(error))
    let sent = 0
    const writeMore = () => {
      while (sent < chunks) {
        sent++
        if (!req.write(chunk)) {
          req.once('drain', writeMore)
          return
        }
      }
      req.end()
    }
    writeMore()
  })
}

describe('API errors over HTTP', () => {
  it('answers 404 with unknown-method for a method that does not exist', async () => {
    const { status, body } = await harness.call('images.delete', {})
    expect(status).toBe(404)
    expect(body).toMatchObject({ ok: false, error: { code: 'unknown-method' } })
  })

  it('answers 404 for prototype names used as methods', async () => {
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty']) {
      expect((await harness.call(name, {})).status).toBe(404)
    }
  })

  it('answers 400 to malformed JSON', async () => {
    const response = await harness.get('/api/app.info', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"unterminated": '
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })

  it('answers 200 with invalid-argument when the schema rejects the arguments', async () => {
    const { status, body } = await harness.call('project.open', { projectFile: 'relative.rwproj' })
    expect(status).toBe(200)
    expect(body.error.code).toBe('invalid-argument')
    expect(body.error.message).toContain('projectFile')
  })

  it('answers 413 to a body over the limit declared by Content-Length', async () => {
    const response = await harness.get('/api/app.info', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.alloc(HTTP_MAX_BODY_BYTES + 1, 0x20),
    })
    expect(response.status).toBe(413)
    await response.body?.cancel()
  })

  it('answers 413 to a chunked body as soon as it crosses the limit', async () => {
    const { status, body } = await postChunked('/api/app.info', harness.server.token, Buffer.alloc(64 * 1024, 0x20), 40)
    expect(status).toBe(413)
    expect(JSON.parse(body)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
  })

  it('answers 405 to a GET on an API method', async () => {
    const response = await harness.get('/api/app.info')
    expect(response.status).toBe(405)
    await response.body?.cancel()
  })

  it('answers no-project for image methods before a project is open', async () => {
    const { body } = await harness.call('images.list', { offset: 0, limit: 10 })
    expect(body).toMatchObject({ ok: false, error: { code: 'no-project' } })
  })

  it('answers unsupported for native dialogs', async () => {
    const { body } = await harness.call('dialog.pickPath', { kind: 'folder' })
    expect(body).toMatchObject({ ok: false, error: { code: 'unsupported' } })
  })

  it('serves the renderer but nothing outside its folder', async () => {
    expect((await (await harness.get('/assets/app.js')).text()).trim()).toBe('console.log("app")')
    for (const path of ['/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%00.js']) {
      const response = await harness.get(path)
      const text = await response.text()
      expect({ path, leaked: text.includes('outside the renderer folder') }).toEqual({ path, leaked: false })
    }
    expect((await harness.get('/assets/missing.js')).status).toBe(404)
  })

  it('answers client-side routes with index.html', async () => {
    expect(await (await harness.get('/project/view')).text()).toContain('test renderer')
  })
})
