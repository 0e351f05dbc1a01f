import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ApiContext, createApiContext, disposeApiContext } from '../../../src-main/api/api-context'
import { createDispatcher, type Dispatch, toApiError } from '../../../src-main/api/dispatcher'
import { type ApiHandlers, createApiHandlers } from '../../../src-main/api/handlers'
import { AppError } from '../../../src-main/core/errors'

let userDataDir: string
let context: ApiContext
let logged: Array<{ method: string; error: unknown }>

function dispatcherWith(overrides: Partial<ApiHandlers> = {}): Dispatch {
  return createDispatcher({ ...createApiHandlers(context), ...overrides } as ApiHandlers, {
    logError: (method, error) => logged.push({ method, error }),
  })
}

beforeEach(async () => {
  userDataDir = await mkdtemp(join(tmpdir(), 'rw-dispatch-'))
  context = createApiContext({ appVersion: '9.9.9', transport: 'http', userDataDir })
  logged = []
})

afterEach(async () => {
  disposeApiContext(context)
  await rm(userDataDir, { recursive: true, force: true })
})

describe('dispatcher', () => {
  it('calls the handler with parsed arguments and wraps the value', async () => {
    const result = await dispatcherWith()('app.info', {})
    expect(result).toEqual({
      ok: true,
      value: { name: 'Retina Workbench', version: '9.9.9', transport: 'http', canPickPaths: false },
    })
  })

  it.each(['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''])(
    'answers unknown-method for %j',
    async (name) => {
      const result = await dispatcherWith()(name, {})
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('unknown-method')
    },
  )

  it('answers invalid-argument with a message naming the field', async () => {
    const result = await dispatcherWith()('images.get', { imageId: -1 })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid-argument')
    expect(result.error.message).toMatch(/^Invalid arguments for images\.get: imageId: /)
    expect(result.error.details).toEqual({ issues: [{ path: 'imageId', message: expect.any(String) }] })
  })

  it('names unknown keys in the message', async () => {
    const result = await dispatcherWith()('project.close', { force: true })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.message).toContain('"force"')
  })

  it('passes AppError codes and messages through unchanged', async () => {
    const result = await dispatcherWith()('images.list', { offset: 0, limit: 10 })
    expect(result).toEqual({
      ok: false,
      // The key travels beside the English words, so the renderer and the CLI can word it in their language.
      error: { code: 'no-project', message: 'No project is open. Create or open a project first.', said: { key: 'project.noneOpen' } },
    })
    expect(logged).toEqual([])
  })

  it('gives file system errors a key of the server catalogue with the path', () => {
    const missing = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/images/a.png' })
    expect(toApiError(missing)).toEqual({
      code: 'not-found',
      message: 'A file or folder does not exist (/images/a.png).',
      said: { key: 'files.missingAt', values: { path: '/images/a.png' } },
    })
  })

  it('answers unsupported for native dialogs when no picker exists', async () => {
    const result = await dispatcherWith()('dialog.pickPath', { kind: 'folder' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.code).toBe('unsupported')
  })

  it('uses the picker when the transport has one', async () => {
    const withPicker = createApiContext({
      appVersion: '1',
      transport: 'electron',
      userDataDir,
      pickPath: async ({ kind }) => (kind === 'folder' ? '/picked/folder' : null),
    })
    const dispatch = createDispatcher(createApiHandlers(withPicker))
    expect(await dispatch('dialog.pickPath', { kind: 'folder' })).toEqual({ ok: true, value: '/picked/folder' })
    expect(await dispatch('dialog.pickPath', { kind: 'project-file' })).toEqual({ ok: true, value: null })
    expect(await dispatch('app.info', {})).toMatchObject({ ok: true, value: { canPickPaths: true } })
  })

  it('maps an unexpected error to internal without leaking its message or stack, and logs it', async () => {
    const secret = new Error('SELECT * FROM secrets at /home/user/private.ts:12')
    const result = await dispatcherWith({
      'app.info': () => {
        throw secret
      },
    })('app.info', {})
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('internal')
    expect(JSON.stringify(result)).not.toContain('secrets')
    expect(JSON.stringify(result)).not.toContain('private.ts')
    expect(logged).toEqual([{ method: 'app.info', error: secret }])
  })

  it('maps a rejected promise the same way as a throw', async () => {
    const result = await dispatcherWith({ 'project.recent': () => Promise.reject(new AppError('conflict', 'busy')) })(
      'project.recent',
      {},
    )
    expect(result).toEqual({ ok: false, error: { code: 'conflict', message: 'busy' } })
  })
})

describe('toApiError', () => {
  it.each([
    [Object.assign(new Error('x'), { code: 'ENOENT', path: '/a/b' }), 'not-found', '/a/b'],
    [Object.assign(new Error('x'), { code: 'EACCES', path: '/root/x' }), 'internal', 'Permission denied'],
    [Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }), 'conflict', 'busy'],
    [Object.assign(new Error('x'), { code: 'ENOSPC' }), 'internal', 'disk is full'],
    ['a thrown string', 'internal', 'Something went wrong'],
    [null, 'internal', 'Something went wrong'],
  ])('maps %s', (error, code, messagePart) => {
    const apiError = toApiError(error)
    expect(apiError.code).toBe(code)
    expect(apiError.message).toContain(messagePart)
  })

  it('keeps AppError details', () => {
    expect(toApiError(new AppError('invalid-argument', 'bad', { field: 'x' }))).toEqual({
      code: 'invalid-argument',
      message: 'bad',
      details: { field: 'x' },
    })
  })
})
