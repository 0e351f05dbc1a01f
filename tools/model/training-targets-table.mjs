// The table training_targets.sh ends with: issue 23's targets against what it measured in
// <work>/reports (evaluate.ts and `project train --json` reports), <work>/<name>-model (the
// training's /usr/bin/time -v output and the load before and after).
//
//   node tools/model/training-targets-table.mjs tools/model/.work/targets
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const work = process.argv[2]
if (!work) {
  console.error('usage: node tools/model/training-targets-table.mjs <work-folder>')
  process.exit(2)
}
const OLD_CLASSES = ['circle', 'square', 'triangle', 'star', 'hexagon']
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'))
const report = (name) => readJson(join(work, 'reports', `${name}.json`))
const ap50Of = (evaluation, className) => evaluation.perClass.find((c) => c.name === className)?.ap50 ?? null
const number = (value) => (value === null ? '—' : value.toFixed(3))
const signed = (value) => (value === null ? '—' : `${value > -0.0005 ? '+' : ''}${(value > -0.0005 && value < 0 ? 0 : value).toFixed(3)}`)
const verdict = (met) => (met ? 'met' : 'NOT met')
const lines = []
const say = (line = '') => lines.push(line)

/** Wall clock (s), peak resident memory (MB) and load of one training, from its own files. */
function trainingCost(name) {
  const dir = join(work, `${name}-model`)
  const time = readFileSync(join(dir, 'time.txt'), 'utf8')
  const clock = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/.exec(time)[1].split(':').map(Number)
  const seconds = clock.reduce((total, part) => total * 60 + part, 0)
  const peakMb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)[1]) / 1024
  const load = (file) => /load average: ([\d., ]+)/.exec(readFileSync(join(dir, file), 'utf8'))[1].trim()
  return { seconds, peakMb, loadBefore: load('load-before.txt'), loadAfter: load('load-after.txt') }
}

const commit = execFileSync('git', ['log', '-1', '--format=%h %cd', '--date=iso-strict'], { encoding: 'utf8' }).trim()
const trainerCommit = execFileSync('git', ['log', '-1', '--format=%h %s', '--', 'src-main/core/training'], { encoding: 'utf8' }).trim()
say(`commit ${commit}; trainer last changed in ${trainerCommit.slice(0, 100)}`)
say()

// Target 1: another kind of image; precision and recall at each model's own label threshold beside AP.
const operatingPoint = (evaluation) =>
  `P ${number(evaluation.operatingPoint.precision)} R ${number(evaluation.operatingPoint.recall)} at ${number(evaluation.labelThreshold.score)}`
for (const [set, title] of [['plain', 'plain_shapes.py'], ['look-alikes', 'plain_shapes.py --look-alikes']]) {
  const before = report(`${set}-heldout.bundled`)
  const after = report(`${set}-heldout.${set}-trained`)
  const gain = after.map50 - before.map50
  say(`1. another kind of image (${title}), ${after.images} held-out images, ${after.boxes} boxes, bundled -> trained`)
  say(`   AP50 ${number(before.map50)} -> ${number(after.map50)} (${signed(gain)}); AP ${number(before.map)} -> ${number(after.map)}; ` +
    `${operatingPoint(before)} -> ${operatingPoint(after)}`)
  say(`   target: +0.10 and >= 0.90: ${verdict(gain >= 0.1 && after.map50 >= 0.9)}` +
    (before.map50 > 0.8 ? ` (the bundled model is already at ${number(before.map50)}: no room for +0.10)` : ''))
  say()
}
const plainBefore = report('plain-heldout.bundled')

// Target 2: a new class, once per training of the cross project.
const crossBefore = report('cross-heldout.bundled')
for (const model of ['cross', 'cross-options']) {
  const training = report(`${model}-training`)
  const crossAfter = report(`cross-heldout.${model}-trained`)
  const plainAfterCross = report(`plain-heldout.${model}-trained`)
  say(`2. a new class (cross): AP50 per class, bundled -> trained on the cross project (${model}: ${training.settings.epochs} epochs, learning rate ${training.settings.learningRate})`)
  say(`   class      cross set (${crossAfter.images} images)      plain set, no crosses (${plainAfterCross.images} images)`)
  let worstLoss = 0
  for (const name of [...OLD_CLASSES, 'cross']) {
    const onCross = [ap50Of(crossBefore, name), ap50Of(crossAfter, name)]
    const onPlain = [ap50Of(plainBefore, name), ap50Of(plainAfterCross, name)]
    if (OLD_CLASSES.includes(name)) worstLoss = Math.max(worstLoss, onCross[0] - onCross[1], onPlain[0] - onPlain[1])
    const cell = ([before, after]) => `${number(before)} -> ${number(after)} (${signed(before === null || after === null ? null : after - before)})`.padEnd(28)
    say(`   ${name.padEnd(10)} ${cell(onCross)} ${OLD_CLASSES.includes(name) ? cell(onPlain) : ''}`.trimEnd())
  }
  say(`   mean       ${number(crossBefore.map50)} -> ${number(crossAfter.map50)} (the bundled model's over the five old classes, the trained model's over six)`)
  const crossAp50 = ap50Of(crossAfter, 'cross')
  say(`   target: cross >= 0.70: ${verdict(crossAp50 >= 0.7)}; old classes lose <= 0.02 (largest loss ${number(worstLoss)}): ${verdict(worstLoss <= 0.02)}`)
  say()
}

// Target 3: time and memory.
say('3. training 60 reviewed images: wall clock, peak memory (max RSS), load (uptime: 1, 5, 15 min)')
let allFit = true
for (const name of ['plain', 'look-alikes', 'cross', 'cross-options']) {
  const training = report(`${name}-training`)
  const cost = trainingCost(name)
  allFit &&= cost.seconds <= 600 && cost.peakMb <= 2048
  say(`   ${name.padEnd(13)} ${training.trainImages} trained + ${training.heldOutImages} held out, ${training.settings.epochs} epochs (best ${training.bestEpoch}): ` +
    `${(cost.seconds / 60).toFixed(1)} min (${Math.round(cost.seconds)} s), ${cost.peakMb.toFixed(0)} MB; load before ${cost.loadBefore}, after ${cost.loadAfter}`)
}
say(`   target: <= 10 min and <= 2 GB: ${verdict(allFit)}`)
console.log(lines.join('\n'))
