import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Page } from 'playwright-core'
import type { LabelChange } from '../src-shared/api/label-types'
import type { ProjectClass } from '../src-shared/api/types'
import { launchBrowser } from '../test/helpers/browser'
import { serveApp } from '../test/helpers/serve-app'
import { apiCall, centre, labelsOf, pagePoint } from '../test/e2e/editor-page'
import { byTestId, createProject } from '../test/e2e/workbench-page'

/**
 * The image view in Chromium with 2,000 labels on a 1920×1080 image: frame intervals while
 * panning, zooming and dragging a box (gestures driven from inside the page, one pointer or
 * wheel event per animation frame), and the time to open the next image with its
 * neighbours prefetched. The baseline is the same gesture on an image without labels, in the
 * same run. Needs the built renderer (`npm run build:renderer`).
 */

const WIDTH = 1920
const HEIGHT = 1080
const LABELS = 2000
const FRAMES = 120

async function writeImage(path: string, shade: number): Promise<void> {
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3)
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const at = (y * WIDTH + x) * 3
      pixels[at] = (x * 255) / WIDTH
      pixels[at + 1] = (y * 255) / HEIGHT
      pixels[at + 2] = shade
    }
  }
  await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } }).jpeg({ quality: 80 }).toFile(path)
}

/** 2,000 boxes of 20–60 px on a jittered grid, overlapping like a dense crowd. */
function denseLabels(classIds: number[]): LabelChange[] {
  const changes: LabelChange[] = []
  for (let index = 0; index < LABELS; index++) {
    const column = index % 50
    const row = Math.floor(index / 50)
    const x = column * 38 + ((index * 7) % 13)
    const y = row * 26 + ((index * 11) % 9)
    const size = 20 + ((index * 17) % 40)
    changes.push({ op: 'create', classId: classIds[index % classIds.length]!, box: [x, y, Math.min(WIDTH, x + size), Math.min(HEIGHT, y + size * 0.8)] })
  }
  return changes
}

type Gesture = 'pan' | 'zoom' | 'drag'

/**
 * In-page code, as source text: this file is compiled without the DOM library. Each event
 * per animation frame goes through the stage's real handlers.
 */
const GESTURE_SCRIPT = `async ({ kind, frames, centre }) => {
  const stage = document.querySelector('[data-testid="image-stage"]')
  const rect = stage.getBoundingClientRect()
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve))
  const start = kind === 'drag' && centre ? centre : { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }
  const pointer = (type, x, y, buttons, button) =>
    stage.dispatchEvent(new PointerEvent(type, { clientX: x, clientY: y, pointerId: 1, button, buttons, bubbles: true, isPrimary: true }))
  if (kind === 'pan') pointer('pointerdown', start.x, start.y, 4, 1)
  if (kind === 'drag') pointer('pointerdown', start.x, start.y, 1, 0)
  const intervals = []
  let last = await nextFrame()
  for (let frame = 0; frame < frames; frame++) {
    const offset = Math.sin((frame / frames) * Math.PI * 2) * 120
    if (kind === 'zoom') {
      stage.dispatchEvent(new WheelEvent('wheel', { clientX: start.x + offset, clientY: start.y, deltaY: frame < frames / 2 ? -40 : 40, bubbles: true, cancelable: true }))
    } else {
      pointer('pointermove', start.x + offset + frame * 0.5, start.y + offset / 2, kind === 'pan' ? 4 : 1, -1)
    }
    const now = await nextFrame()
    intervals.push(now - last)
    last = now
  }
  if (kind !== 'zoom') pointer('pointerup', start.x, start.y, 0, kind === 'pan' ? 1 : 0)
  return intervals
}`

const NEXT_IMAGE_SCRIPT = `async (key) => {
  const stageNow = () => document.querySelector('[data-testid="image-stage"]')
  const before = stageNow().dataset.imageId
  const start = performance.now()
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))
  for (;;) {
    await new Promise((resolve) => requestAnimationFrame(resolve))
    const now = stageNow()
    if (now.dataset.imageId !== before && now.dataset.imageWidth !== undefined && now.dataset.labels !== undefined) {
      return performance.now() - start
    }
    if (performance.now() - start > 10000) return Number.NaN
  }
}`

interface GestureFigures {
  intervals: number[]
  /** Paints of the boxes layer during the gesture, and their mean duration. */
  paints: number
  paintMs: number
}

/** Frame intervals (ms) while one event per frame drives a gesture on the stage. */
async function gestureFrames(page: Page, gesture: Gesture, boxCentre: { x: number; y: number } | null): Promise<GestureFigures> {
  const stage = byTestId(page, 'image-stage')
  const paintStats = async () => ({ count: Number(await stage.getAttribute('data-base-paints')), ms: Number(await stage.getAttribute('data-base-paint-ms')) })
  const before = await paintStats()
  const intervals = (await page.evaluate(`(${GESTURE_SCRIPT})(${JSON.stringify({ kind: gesture, frames: FRAMES, centre: boxCentre })})`)) as number[]
  await page.waitForTimeout(300)
  const after = await paintStats()
  const paints = after.count - before.count
  return { intervals, paints, paintMs: paints > 0 ? (after.ms - before.ms) / paints : 0 }
}

function summary({ intervals, paints, paintMs }: GestureFigures): { median: number; p95: number; fps: number; paints: number; paintMs: number } {
  const sorted = [...intervals].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  const p95 = sorted[Math.floor(sorted.length * 0.95)]!
  const mean = intervals.reduce((sum, value) => sum + value, 0) / intervals.length
  return { median, p95, fps: 1000 / mean, paints, paintMs }
}

/** Milliseconds from the key press to the next image drawn with its labels. */
async function nextImageTime(page: Page, key: string): Promise<number> {
  return (await page.evaluate(`(${NEXT_IMAGE_SCRIPT})(${JSON.stringify(key)})`)) as number
}

export async function run(): Promise<void> {
  const { loadavg, cpus } = await import('node:os')
  console.log(`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores: frame times include whatever else runs`)
  const folder = await mkdtemp(join(tmpdir(), 'rw-bench-editor-'))
  const app = await serveApp()
  const browser = await launchBrowser({ width: 1600, height: 1000 })
  try {
    await writeImage(join(folder, 'a-dense.jpg'), 40)
    await writeImage(join(folder, 'b-dense.jpg'), 90)
    await writeImage(join(folder, 'c-empty.jpg'), 140)
    await writeImage(join(folder, 'd-empty.jpg'), 190)
    const { page } = browser
    await page.goto(app.url)
    await byTestId(page, 'start-view').waitFor()
    await createProject(page, folder)
    const names = ['car', 'person', 'bicycle', 'dog', 'traffic light']
    for (const name of names) await apiCall<ProjectClass>(page, 'classes.create', { name })
    const classIds = (await apiCall<ProjectClass[]>(page, 'classes.list', {})).map((item) => item.id)
    const images = await apiCall<{ items: { id: number; relativePath: string }[] }>(page, 'images.grid', { offset: 0, limit: 10 })
    const idOf = (name: string) => images.items.find((image) => image.relativePath === name)!.id
    for (const name of ['a-dense.jpg', 'b-dense.jpg']) {
      await apiCall(page, 'labels.edit', { imageId: idOf(name), command: 'paste', changes: denseLabels(classIds) })
    }
    await page.reload()
    await byTestId(page, 'project-view').waitFor()

    async function open(name: string): Promise<void> {
      if ((await byTestId(page, 'image-view').count()) > 0) await byTestId(page, 'back-to-grid').click()
      await page.locator(`[data-testid="image-tile"][title="${name}"]`).click()
      await page.locator(`[data-testid="image-stage"][data-image-id="${idOf(name)}"][data-image-width][data-labels]`).waitFor()
      await page.waitForTimeout(500)
    }

    const results: Record<string, Record<Gesture, ReturnType<typeof summary>>> = {}
    for (const [label, name] of [['0 labels', 'c-empty.jpg'], [`${LABELS} labels`, 'a-dense.jpg']] as const) {
      await open(name)
      const drawn = await page.locator('[data-testid="image-stage"]').getAttribute('data-drawn-labels')
      const row: Partial<Record<Gesture, ReturnType<typeof summary>>> = {}
      row.pan = summary(await gestureFrames(page, 'pan', null))
      await page.keyboard.press('f')
      row.zoom = summary(await gestureFrames(page, 'zoom', null))
      await page.keyboard.press('f')
      // Drag the label nearest the middle (on the empty image: an empty-canvas drag, which pans).
      const { labels } = await labelsOf(page, idOf(name))
      const nearest = [...labels].sort(
        (a, b) => Math.hypot(a.box[0] - WIDTH / 2, a.box[1] - HEIGHT / 2) - Math.hypot(b.box[0] - WIDTH / 2, b.box[1] - HEIGHT / 2),
      )[0]
      const grab = nearest ? centre(nearest.box) : { x: WIDTH / 2, y: HEIGHT / 2 }
      row.drag = summary(await gestureFrames(page, 'drag', await pagePoint(page, grab.x, grab.y)))
      results[label] = row as Record<Gesture, ReturnType<typeof summary>>
      console.log(`${label} (${drawn ?? 0} drawn):`)
      for (const gesture of ['pan', 'zoom', 'drag'] as const) {
        const figures = row[gesture]!
        console.log(
          `  ${gesture.padEnd(5)} frame median ${figures.median.toFixed(1)} ms, p95 ${figures.p95.toFixed(1)} ms, ${figures.fps.toFixed(1)} fps;` +
            ` boxes layer painted ${figures.paints}× in ${FRAMES} frames, ${figures.paintMs.toFixed(1)} ms each`,
        )
      }
    }
    const dense = results[`${LABELS} labels`]!
    const empty = results['0 labels']!
    for (const gesture of ['pan', 'zoom', 'drag'] as const) {
      console.log(`${gesture}: ${LABELS} labels / 0 labels mean frame time ratio ${(empty[gesture].fps / dense[gesture].fps).toFixed(2)}`)
    }
    // The drag above was committed as one move; undo it so the image is as created.
    await page.keyboard.press('Control+z')

    await open('a-dense.jpg')
    const denseNext: number[] = []
    const emptyNext: number[] = []
    for (let repeat = 0; repeat < 5; repeat++) {
      denseNext.push(await nextImageTime(page, 'd')) // a → b, 2,000 labels
      await page.waitForTimeout(300)
      emptyNext.push(await nextImageTime(page, 'd')) // b → c, no labels
      await page.waitForTimeout(300)
      await nextImageTime(page, 'a')
      await page.waitForTimeout(300)
      await nextImageTime(page, 'a')
      await page.waitForTimeout(300)
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    console.log(`next image with ${LABELS} labels: median ${median(denseNext).toFixed(1)} ms (all: ${denseNext.map((value) => value.toFixed(0)).join(', ')})`)
    console.log(`next image without labels: median ${median(emptyNext).toFixed(1)} ms; ratio ${(median(denseNext) / median(emptyNext)).toFixed(2)}`)
  } finally {
    await browser.close()
    await app.stop()
    await rm(folder, { recursive: true, force: true })
  }
}
