import { existsSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { type IncomingMessage, request } from 'node:http'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { sendRaw, type RawRequest, type RawResponse } from './hostile-client'
import { type ServerHarness, startHarness } from './server-harness'

/**
 * The hostile-input table: one row per attack on `serve`, with what is sent and what must
 * come back. Requests carry the real token in their path (`/<token>/…`, as the app's own page
 * sends them), so each row shows that the check it names holds even for a page that learned
 * the token. After every row the server must still answer: nothing a request or a project file
 * contains may end the process.
 */

let harness: ServerHarness
let port: number
let imageFolder: string
let outsideFolder: string
let projectCounter = 0

const JSON_TYPE = { 'Content-Type': 'application/json' }

async function writePng(file: string): Promise<void> {
  await sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 10, g: 200, b: 30 } } }).png().toFile(file)
}

/** A fresh project over the image folder, closed again, then changed by hand like a crafted file. */
async function craftProject(sql: string, setup?: (projectFile: string) => Promise<void>): Promise<string> {
  const projectFile = join(harness.folder, 'projects', `crafted-${++projectCounter}.rwproj`)
  const created = await harness.call('project.create', { imageFolder, projectFile })
  expect(created.body.ok).toBe(true)
  await harness.call('project.close', {})
  const db = openDatabase(projectFile, { mustExist: true })
  db.exec(sql)
  db.close()
  await setup?.(projectFile)
  return projectFile
}

async function openCrafted(projectFile: string): Promise<{ ok: boolean; message?: string }> {
  const { body } = await harness.call('project.open', { projectFile })
  return body.ok ? { ok: true } : { ok: false, message: body.error.message }
}

/** A new project over the image folder, left open. */
async function openFreshProject(): Promise<string> {
  const projectFile = join(harness.folder, 'projects', `fresh-${++projectCounter}.rwproj`)
  const created = await harness.call('project.create', { imageFolder, projectFile })
  expect(created.body.ok).toBe(true)
  return projectFile
}

/** The image-file problems an export answer lists. */
function problemsOf(body: { value?: { imageFileProblems?: { items: Array<{ message: string }> } } }): string[] {
  return body.value?.imageFileProblems?.items.map((item) => item.message) ?? []
}

/** Each file of a folder with the sha256 of its bytes: equal only when nothing changed. */
async function folderFingerprint(folder: string): Promise<string> {
  const names = (await readdir(folder)).sort()
  const lines = await Promise.all(names.map(async (name) => `${name} ${createHash('sha256').update(await readFile(join(folder, name))).digest('hex')}`))
  return lines.join('\n')
}

function send(path: string, init: RawRequest = {}): Promise<RawResponse> {
  return sendRaw(port, path, init)
}

/** `path` under the app's own address, `/<token>/`: what the page itself requests. */
function app(path: string): string {
  return `/${harness.server.token}${path}`
}

beforeAll(async () => {
  harness = await startHarness()
  port = harness.server.port
  imageFolder = join(harness.folder, 'images')
  outsideFolder = join(harness.folder, 'outside')
  await mkdir(imageFolder)
  await mkdir(outsideFolder)
  await mkdir(join(harness.folder, 'projects'))
  await writePng(join(imageFolder, 'a.png'))
  await writePng(join(imageFolder, 'b.png'))
  await writePng(join(outsideFolder, 'private.png'))
  await writeFile(join(outsideFolder, 'secret.txt'), 'SECRET-OUTSIDE-THE-IMAGE-FOLDER')
})

afterAll(async () => {
  await harness.stop()
})

interface Row {
  attack: string
  /** Sends the attack; returns what came back, reduced to what the row checks. */
  send: () => Promise<Record<string, unknown>>
  expected: Record<string, unknown>
}

const otherOrigin = () => `http://127.0.0.1:${port + 1}`

const rows: Row[] = [
  // ---- Cross-origin and token (items 1, 2) ----
  {
    attack: "another local page's no-cors POST of text/plain to project.create, with the token in its path",
    send: async () => {
      const folder = join(harness.folder, 'victim')
      await mkdir(folder, { recursive: true })
      await writePng(join(folder, 'v.png'))
      const response = await send(app('/api/project.create'), {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain', Origin: otherOrigin(), 'Sec-Fetch-Site': 'same-site' },
        body: JSON.stringify({ imageFolder: folder }),
      })
      return { status: response.status, created: existsSync(join(folder, 'victim.rwproj')) }
    },
    expected: { status: 403, created: false },
  },
  {
    attack: 'a text/plain POST without Origin (an old browser, a form), with the token in its path',
    send: async () => {
      const response = await send(app('/api/project.close'), {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
      })
      return { status: response.status }
    },
    expected: { status: 415 },
  },
  {
    attack: 'a form POST (application/x-www-form-urlencoded), with the token in its path',
    send: async () => ({
      status: (await send(app('/api/project.close'), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).status,
    }),
    expected: { status: 415 },
  },
  {
    attack: 'a JSON POST with the Origin of another local port',
    send: async () => ({
      status: (await send(app('/api/app.info'), { method: 'POST', headers: { ...JSON_TYPE, Origin: otherOrigin() }, body: '{}' })).status,
    }),
    expected: { status: 403 },
  },
  {
    attack: 'a JSON POST with Origin: null (sandboxed frame, file: page)',
    send: async () => ({
      status: (await send(app('/api/app.info'), { method: 'POST', headers: { ...JSON_TYPE, Origin: 'null' }, body: '{}' })).status,
    }),
    expected: { status: 403 },
  },
  {
    attack: 'an API call marked Sec-Fetch-Site: cross-site',
    send: async () => ({
      status: (await send(app('/api/app.info'), { method: 'POST', headers: { ...JSON_TYPE, 'Sec-Fetch-Site': 'cross-site' }, body: '{}' })).status,
    }),
    expected: { status: 403 },
  },
  {
    attack: 'an <img> of another local port: GET /image/1 with Sec-Fetch-Site: same-site',
    send: async () => ({ status: (await send(app('/image/1'), { headers: { 'Sec-Fetch-Site': 'same-site' } })).status }),
    expected: { status: 403 },
  },
  {
    attack: 'a thumbnail from a cross-site page: GET /thumb/1 with Sec-Fetch-Site: cross-site',
    send: async () => ({ status: (await send(app('/thumb/1'), { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status }),
    expected: { status: 403 },
  },
  {
    attack: 'an EventSource of another local port: GET /events with Sec-Fetch-Site: same-site',
    send: async () => ({ status: (await send(app('/events'), { headers: { 'Sec-Fetch-Site': 'same-site' } })).status }),
    expected: { status: 403 },
  },
  {
    attack: 'DNS rebinding: Host: attacker.example with the real port',
    send: async () => ({
      status: (await send(app('/api/app.info'), { method: 'POST', headers: { Host: `attacker.example:${port}`, ...JSON_TYPE }, body: '{}' })).status,
    }),
    expected: { status: 403 },
  },
  {
    attack: 'Host naming another port',
    send: async () => ({ status: (await send(app('/'), { headers: { Host: `127.0.0.1:${port + 1}` } })).status }),
    expected: { status: 403 },
  },
  {
    attack: 'no Host header at all',
    send: async () => ({ status: (await send(app('/'), { headers: { Host: null } })).status }),
    expected: { status: 400 },
  },
  {
    attack: 'a malformed Host header',
    send: async () => ({ status: (await send(app('/'), { headers: { Host: 'a b@c/d' } })).status }),
    expected: { status: 400 },
  },
  // ---- The token lives in the path, never in a cookie (second round, item 9) ----
  {
    attack: "the token in a cookie (browsers send cookies to every local port's pages): not a key any more",
    send: async () => ({
      status: (await send('/api/app.info', { method: 'POST', headers: { Cookie: `rw_token_${port}=${harness.server.token}`, ...JSON_TYPE }, body: '{}' })).status,
    }),
    expected: { status: 401 },
  },
  {
    attack: 'the token as ?token= on the API (only the start page redirects it)',
    send: async () => ({
      status: (await send(`/api/app.info?token=${harness.server.token}`, { method: 'POST', headers: JSON_TYPE, body: '{}' })).status,
    }),
    expected: { status: 401 },
  },
  {
    attack: 'an image under a guessed prefix one character off the token',
    send: async () => {
      const token = harness.server.token
      const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
      return { status: (await send(`/${wrong}/image/1`)).status }
    },
    expected: { status: 401 },
  },
  {
    attack: 'the address printed by earlier versions, /?token=…: redirected under the token, no cookie set',
    send: async () => {
      const response = await send(`/?token=${harness.server.token}`)
      return {
        status: response.status,
        location: response.headers.location === `/${harness.server.token}/`,
        cookie: response.headers['set-cookie'] ?? null,
      }
    },
    expected: { status: 303, location: true, cookie: null },
  },
  {
    attack: 'the page itself under /<token>/: no cookie, no Referer that could carry the token elsewhere',
    send: async () => {
      const response = await send(app('/'))
      return { status: response.status, cookie: response.headers['set-cookie'] ?? null, referrer: response.headers['referrer-policy'] }
    },
    expected: { status: 200, cookie: null, referrer: 'no-referrer' },
  },
  {
    attack: 'control: the app itself (same origin, JSON, Sec-Fetch-Site: same-origin) is answered',
    send: async () => ({
      status: (await send(app('/api/app.info'), {
        method: 'POST',
        headers: { ...JSON_TYPE, Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' },
        body: '{}',
      })).status,
    }),
    expected: { status: 200 },
  },
  {
    attack: 'control: http://localhost:<port> is the same server',
    send: async () => ({
      status: (await send(app('/api/app.info'), { method: 'POST', headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}`, ...JSON_TYPE }, body: '{}' })).status,
    }),
    expected: { status: 200 },
  },

  // ---- Crafted project files (items 3, 4, 5, 6, 12) ----
  {
    attack: 'project.uuid with CR/LF (copied into a header), then GET /thumb/1',
    send: async () => {
      const file = await craftProject("UPDATE project SET uuid = 'a' || char(13) || char(10) || 'Set-Cookie: x=1'")
      const opened = await openCrafted(file)
      const thumb = await send(app('/thumb/1'))
      return { opened: opened.ok, message: /damaged: its project id/.test(opened.message ?? ''), thumb: thumb.status }
    },
    expected: { opened: false, message: true, thumb: 404 },
  },
  {
    attack: "an image row whose format is not a known one ('x' CR LF 'y')",
    send: async () => {
      const file = await craftProject("UPDATE images SET format = 'x' || char(13) || char(10) || 'y' WHERE id = 1")
      const opened = await openCrafted(file)
      const image = await send(app('/image/1'))
      const thumb = await send(app('/thumb/1'))
      return { opened: opened.ok, image: image.status, thumb: thumb.status }
    },
    expected: { opened: true, image: 404, thumb: 404 },
  },
  {
    attack: 'an image replaced by a symlink to a file outside the folder after the scan',
    send: async () => {
      const linkedFolder = join(harness.folder, 'swapped')
      await mkdir(linkedFolder)
      await writePng(join(linkedFolder, 'a.png'))
      const projectFile = join(harness.folder, 'projects', 'swapped.rwproj')
      await harness.call('project.create', { imageFolder: linkedFolder, projectFile })
      await rm(join(linkedFolder, 'a.png'))
      await symlink(join(outsideFolder, 'secret.txt'), join(linkedFolder, 'a.png'))
      const image = await send(app('/image/1'))
      return { status: image.status, leaked: image.text.includes('SECRET') }
    },
    expected: { status: 404, leaked: false },
  },
  {
    attack: 'an image row reached through a directory symlink inside the folder that leads outside',
    send: async () => {
      const file = await craftProject("UPDATE images SET path = 'linked/private.png' WHERE id = 1", async () => {
        await rm(join(imageFolder, 'linked'), { force: true })
        await symlink(outsideFolder, join(imageFolder, 'linked'))
      })
      const opened = await openCrafted(file)
      const image = await send(app('/image/1'))
      const thumb = await send(app('/thumb/1'))
      await rm(join(imageFolder, 'linked'))
      return { opened: opened.ok, image: image.status, thumb: thumb.status }
    },
    expected: { opened: true, image: 404, thumb: 404 },
  },
  {
    attack: "a stored image_root of '/' with an image row 'etc/passwd'",
    send: async () => {
      const file = await craftProject("UPDATE project SET image_root = '/'; UPDATE images SET path = 'etc/passwd', format = 'png' WHERE id = 1")
      const opened = await openCrafted(file)
      const image = await send(app('/image/1'))
      return { opened: opened.ok, message: /top of the file system/.test(opened.message ?? ''), leaked: image.text.includes('root:') }
    },
    expected: { opened: false, message: true, leaked: false },
  },
  {
    attack: "a stored image_root that is a link to '/'",
    send: async () => {
      await symlink('/', join(harness.folder, 'projects', 'to-root'))
      const file = await craftProject("UPDATE project SET image_root = 'to-root'; UPDATE images SET path = 'etc/passwd' WHERE id = 1")
      const opened = await openCrafted(file)
      return { opened: opened.ok, message: /top of the file system/.test(opened.message ?? '') }
    },
    expected: { opened: false, message: true },
  },
  {
    attack: "a stored image path '../outside/private.png' (was a 500)",
    send: async () => {
      const file = await craftProject("UPDATE images SET path = '../outside/private.png' WHERE id = 1")
      const opened = await openCrafted(file)
      const image = await send(app('/image/1'))
      return { opened: opened.ok, image: image.status }
    },
    expected: { opened: true, image: 404 },
  },
  {
    attack: "project.uuid '../../escape' steering the thumbnail cache path",
    send: async () => {
      const target = join(harness.folder, 'escape')
      const file = await craftProject("UPDATE project SET uuid = '../../escape'")
      const opened = await openCrafted(file)
      const thumb = await send(app('/thumb/1'))
      return { opened: opened.ok, thumb: thumb.status, created: existsSync(target) }
    },
    expected: { opened: false, thumb: 404, created: false },
  },
  {
    attack: 'opening a foreign SQLite database named .rwproj',
    send: async () => {
      const file = join(harness.folder, 'projects', 'foreign.rwproj')
      const db = openDatabase(file, { mustExist: false })
      db.pragma('journal_mode = DELETE')
      db.exec('CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (\'mine\')')
      db.close()
      const before = await readFile(file)
      const opened = await openCrafted(file)
      const after = await readFile(file)
      return { opened: opened.ok, message: /is not a Retina Workbench project file/.test(opened.message ?? ''), unchanged: before.equals(after), wal: existsSync(`${file}-wal`) }
    },
    expected: { opened: false, message: true, unchanged: true, wal: false },
  },
  {
    attack: 'opening an empty (0-byte) .rwproj',
    send: async () => {
      const file = join(harness.folder, 'projects', 'empty.rwproj')
      await writeFile(file, '')
      const opened = await openCrafted(file)
      return { opened: opened.ok, size: (await stat(file)).size }
    },
    expected: { opened: false, size: 0 },
  },

  // ---- Paths and requests (items 11, 12) ----
  {
    attack: "project.open of a Windows-style path 'C:\\y.rwproj' on this platform",
    send: async () => {
      const { body } = await harness.call('project.open', { projectFile: 'C:\\y.rwproj' })
      return { ok: body.ok, code: body.error?.code, created: existsSync('C:\\y.rwproj') }
    },
    expected: process.platform === 'win32' ? { ok: false, code: 'not-found', created: false } : { ok: false, code: 'invalid-argument', created: false },
  },
  {
    attack: "project.create with a Windows-style project file 'C:\\y.rwproj' on this platform",
    send: async () => {
      const { body } = await harness.call('project.create', { imageFolder, projectFile: 'C:\\y.rwproj' })
      return { ok: body.ok, created: existsSync('C:\\y.rwproj') }
    },
    expected: { ok: false, created: false },
  },

  // ---- Paths, files and projects, round 2 (issue 21) ----
  ...[
    { method: 'labels.export', args: { format: 'coco', out: 'C:\\out' }, landing: 'C:\\out' },
    { method: 'labels.export', args: { format: 'coco', out: '\\\\srv\\share' }, landing: '\\\\srv\\share' },
    { method: 'labels.planImport', args: { format: 'coco', input: 'C:\\in\\labels.json' }, landing: 'C:\\in\\labels.json' },
    { method: 'runs.start', args: { modelPath: 'C:\\models\\m.onnx' }, landing: 'C:\\models\\m.onnx' },
  ].map(
    ({ method, args, landing }): Row => ({
      attack: `${method} with the Windows path ${JSON.stringify(landing)} on this platform (was written into the working folder)`,
      send: async () => {
        await openFreshProject()
        const { body } = await harness.call(method, args)
        const landed = existsSync(join(process.cwd(), landing))
        await rm(join(process.cwd(), landing), { recursive: true, force: true })
        return { ok: body.ok, code: body.error?.code, landed }
      },
      expected: process.platform === 'win32' ? expect.objectContaining({ landed: false }) : { ok: false, code: 'invalid-argument', landed: false },
    }),
  ),
  {
    attack: "a stored image_root of '/etc' with an image row 'shadow' (served /etc/shadow as image/jpeg)",
    send: async () => {
      const file = await craftProject("UPDATE project SET image_root = '/etc'; UPDATE images SET path = 'shadow', format = 'jpeg' WHERE id = 2")
      const opened = await openCrafted(file)
      const image = await send(app('/image/2'))
      return { opened: opened.ok, message: /system folder/.test(opened.message ?? ''), image: image.status }
    },
    expected: { opened: false, message: true, image: 404 },
  },
  {
    attack: "project.create over the system folder '/etc'",
    send: async () => {
      const projectFile = join(harness.folder, 'projects', 'etc.rwproj')
      const { body } = await harness.call('project.create', { imageFolder: '/etc', projectFile })
      return { ok: body.ok, message: /system folder/.test(body.error?.message ?? ''), created: existsSync(projectFile) }
    },
    expected: { ok: false, message: true, created: false },
  },
  {
    attack: 'an image file overwritten with text after the scan (extension and stored format still say png)',
    send: async () => {
      const folder = join(harness.folder, 'disguised')
      await mkdir(folder)
      await writePng(join(folder, 'a.png'))
      const projectFile = join(harness.folder, 'projects', 'disguised.rwproj')
      expect((await harness.call('project.create', { imageFolder: folder, projectFile })).body.ok).toBe(true)
      await writeFile(join(folder, 'a.png'), 'SECRET-TEXT-NOT-AN-IMAGE')
      const image = await send(app('/image/1'))
      const thumb = await send(app('/thumb/1'))
      const out = join(harness.folder, 'disguised-export')
      const exported = await harness.call('labels.export', { format: 'yolo', out, allImages: true, includeEmpty: true, images: 'copy' })
      return {
        image: image.status,
        thumb: thumb.status,
        leaked: image.text.includes('SECRET') || thumb.text.includes('SECRET'),
        exported: exported.body.ok,
        copied: existsSync(join(out, 'images', 'train', 'a.png')),
        problem: problemsOf(exported.body).some((message) => /not an image/.test(message)),
      }
    },
    expected: { image: 404, thumb: 404, leaked: false, exported: true, copied: false, problem: true },
  },
  {
    attack: '`export --images copy` of an image replaced by a symlink to a file outside the folder',
    send: async () => {
      const folder = join(harness.folder, 'swapped-export')
      await mkdir(folder)
      await writePng(join(folder, 'a.png'))
      await writePng(join(folder, 'b.png'))
      expect((await harness.call('project.create', { imageFolder: folder, projectFile: join(harness.folder, 'projects', 'swapped-export.rwproj') })).body.ok).toBe(true)
      await rm(join(folder, 'b.png'))
      await symlink(join(outsideFolder, 'private.png'), join(folder, 'b.png'))
      const results: Record<string, unknown> = {}
      for (const images of ['copy', 'link'] as const) {
        const out = join(harness.folder, `swapped-export-${images}`)
        const exported = await harness.call('labels.export', { format: 'yolo', out, allImages: true, includeEmpty: true, images })
        results[images] = {
          ok: exported.body.ok,
          kept: existsSync(join(out, 'images', 'train', 'a.png')),
          outside: existsSync(join(out, 'images', 'train', 'b.png')),
          problem: problemsOf(exported.body).some((message) => /leads outside the image folder/.test(message)),
        }
      }
      return results
    },
    expected: {
      copy: { ok: true, kept: true, outside: false, problem: true },
      link: { ok: true, kept: true, outside: false, problem: true },
    },
  },
  ...[
    { version: 2, journal: 'DELETE' },
    { version: 3, journal: 'DELETE' },
    { version: 4, journal: 'DELETE' },
    { version: 9, journal: 'DELETE' },
    { version: 5, journal: 'WAL' },
    { version: 2, journal: 'WAL' },
    { version: 1, journal: 'WAL', table: 'notes' },
  ].map(
    ({ version, journal, table = 'project' }): Row => ({
      attack: `opening a foreign SQLite database (${journal} mode) with a '${table}' table and user_version ${version} (was switched to WAL or gained -wal/-shm)`,
      send: async () => {
        const folder = join(harness.folder, `foreign-${journal}-${version}-${table}`)
        await mkdir(folder)
        const file = join(folder, 'foreign.rwproj')
        const db = openDatabase(file, { mustExist: false })
        db.pragma(`journal_mode = ${journal}`)
        db.exec(`CREATE TABLE ${table} (name TEXT); INSERT INTO ${table} VALUES ('theirs')`)
        db.pragma(`user_version = ${version}`)
        db.close()
        const before = await folderFingerprint(folder)
        const opened = await openCrafted(file)
        return { opened: opened.ok, refusedInWords: /not a Retina Workbench project file|newer version/.test(opened.message ?? ''), unchanged: (await folderFingerprint(folder)) === before }
      },
      expected: { opened: false, refusedInWords: true, unchanged: true },
    }),
  ),
  ...[
    { name: 'a VOC file with the character reference &#x110000;', xml: '<annotation><filename>a&#x110000;.png</filename></annotation>', code: undefined, ok: true },
    { name: 'a VOC file with 200,000 nested tags', xml: `${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}`, code: 'invalid-argument', ok: false },
  ].map(
    ({ name, xml, code, ok }): Row => ({
      attack: `labels.planImport of ${name} (was an internal error without the file's name)`,
      send: async () => {
        await openFreshProject()
        const folder = join(harness.folder, `voc-${++projectCounter}`)
        await mkdir(folder, { recursive: true })
        await writeFile(join(folder, 'hostile.xml'), xml)
        const { body } = await harness.call('labels.planImport', { format: 'voc', input: folder })
        return { ok: body.ok, code: body.error?.code, namesFile: body.ok || /hostile\.xml/.test(body.error?.message ?? '') }
      },
      expected: { ok, code, namesFile: true },
    }),
  ),
  {
    attack: "labels.export into '/dev/null/x' names what is in the way (was '/dev/null/x is a file')",
    send: async () => {
      await openFreshProject()
      const { body } = await harness.call('labels.export', { format: 'coco', out: '/dev/null/x' })
      return { ok: body.ok, code: body.error?.code, message: body.error?.message }
    },
    expected:
      process.platform === 'win32'
        ? expect.objectContaining({ ok: false })
        : { ok: false, code: 'conflict', message: '/dev/null is a file, not a folder; choose a new or empty folder.' },
  },
  {
    attack: 'labelThresholds.set with perClass {"__proto__": 0.3} (was silently dropped)',
    send: async () => {
      await openFreshProject()
      // JSON.parse makes an own "__proto__" key, and JSON.stringify sends it as written.
      const { body } = await harness.call('labelThresholds.set', JSON.parse('{"score":0.5,"perClass":{"__proto__":0.3}}'))
      return { ok: body.ok, code: body.error?.code, saysWhy: /__proto__/.test(body.error?.message ?? '') }
    },
    expected: { ok: false, code: 'invalid-argument', saysWhy: true },
  },
]

describe('hostile input table', () => {
  for (const row of rows) {
    it(row.attack, async () => {
      expect(await row.send()).toEqual(row.expected)
      // The server is still there after every row.
      expect((await harness.call('app.info', {})).status).toBe(200)
    })
  }

  it('a client that aborts mid-body leaves one line in the log, not a stack trace, and the server answers on', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      // Resolves once the server has seen the connection go and had a turn to react to it.
      const serverSawClose = new Promise<void>((resolve) =>
        harness.server.server.once('request', (incoming: IncomingMessage) =>
          incoming.once('close', () => setImmediate(resolve)),
        ),
      )
      await new Promise<void>((resolve) => {
        const outgoing = request({
          host: '127.0.0.1',
          port,
          path: '/api/app.info',
          method: 'POST',
          headers: { Authorization: `Bearer ${harness.server.token}`, ...JSON_TYPE, 'Content-Length': '100000' },
        })
        outgoing.on('error', () => resolve())
        outgoing.write('{"partial": ', () => {
          outgoing.destroy()
          resolve()
        })
      })
      await serverSawClose
      expect((await harness.call('app.info', {})).status).toBe(200)
      const stackTraces = logged.mock.calls.flat().filter((value) => value instanceof Error || /\n\s+at /.test(String(value)))
      expect(stackTraces).toEqual([])
    } finally {
      logged.mockRestore()
    }
  })

  it('logs why a crafted project file was refused an image, in one line', async () => {
    const file = await craftProject("UPDATE images SET path = '../outside/private.png' WHERE id = 1")
    expect((await openCrafted(file)).ok).toBe(true)
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect((await send(app('/image/1'))).status).toBe(404)
      expect(logged.mock.calls.map((call) => call.join(' '))).toEqual([
        expect.stringMatching(/^Refused image 1: .*outside the image folder/),
      ])
    } finally {
      logged.mockRestore()
    }
  })

  it('keeps a copied image file readable where the folder is real (control for the link rows)', async () => {
    const folder = join(harness.folder, 'copied')
    await mkdir(folder)
    await copyFile(join(outsideFolder, 'private.png'), join(folder, 'private.png'))
    await harness.call('project.create', { imageFolder: folder, projectFile: join(harness.folder, 'projects', 'copied.rwproj') })
    const image = await send(app('/image/1'))
    expect(image.status).toBe(200)
  })
})
