import { matchDetections } from './src-main/core/metrics/coco-matching'
import { accumulate } from './src-main/core/metrics/coco-accumulate'
import { EvaluationInputBuilder } from './src-main/core/metrics/evaluation-input'
let s = 1
const r = () => { s = (s * 16807) % 2147483647; return s / 2147483647 }
const b = new EvaluationInputBuilder(5000, 10)
for (let i = 0; i < 5000; i++) {
  const boxes: number[][] = []
  for (let g = 0; g < 8; g++) { const bx = [r()*400, r()*300, 8 + r()*200, 8 + r()*200]; boxes.push(bx); b.addGroundTruth(i, Math.floor(r()*10), bx as any) }
  for (let d = 0; d < 100; d++) { const t = boxes[Math.floor(r()*8)]!; b.addDetection(i, Math.floor(r()*10), [t[0]!+r()*10, t[1]!+r()*10, t[2]!, t[3]!], Math.round(r()*1000)/1000) }
}
const input = b.build()
for (let k = 0; k < 3; k++) {
  let c = process.cpuUsage(); let t = performance.now()
  const m = matchDetections(input)
  const c1 = process.cpuUsage(c); const t1 = performance.now() - t
  c = process.cpuUsage(); t = performance.now()
  accumulate(m.categories)
  const c2 = process.cpuUsage(c); const t2 = performance.now() - t
  console.log('match wall', t1.toFixed(0), 'cpu', ((c1.user + c1.system) / 1000).toFixed(0), ' accumulate wall', t2.toFixed(0), 'cpu', ((c2.user + c2.system) / 1000).toFixed(0))
}
