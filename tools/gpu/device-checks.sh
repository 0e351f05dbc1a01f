#!/usr/bin/env bash
# The GPU checks, in one call on the GPU machine (see README.md here). Runs after
# .gpu/device.sh has unpacked Node.js, onnxruntime-node and the Vulkan libraries:
#   bash .gpu/device.sh bash tools/gpu/device-checks.sh [exactness] [bundled] [job] [resnet] [ort]
# (all five when none is named). Writes everything it prints to $OUT/gpu-checks.log as well.
# BENCH_* variables pass through to the benchmark (bench/detect-providers.ts).
set -uo pipefail
log="${OUT:-/tmp}/gpu-checks.log"
exec > >(tee -a "$log") 2>&1
started=$(date +%s)
step() { printf '\n::: %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }
checks="${*:-exactness bundled job resnet ort}"
wants() { [[ " $checks " == *" $1 "* ]]; }
quiet() { grep -v '^Warning: max'; } # Dawn's notes on lowered pipeline limits, once per device

step "node_modules: sharp and better-sqlite3 from .gpu, onnxruntime-node from device.sh"
mkdir -p node_modules
tar xJf .gpu/modules.tar.xz -C node_modules
ln -sfn "$ORT_NODE" node_modules/onnxruntime-node
ln -sfn "$(dirname "$ORT_NODE")/onnxruntime-common" node_modules/onnxruntime-common
[ -e .gpu/app/fixtures ] || ln -sfn ../../test/fixtures .gpu/app/fixtures
nproc; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

step "model exports in the background: ResNet-50-FPN RetinaNet (random weights) float32 and float16, the bundled model in float16"
mkdir -p .cache/models
( python3 tools/model/export_torchvision.py --random-weights --out .cache/models > .cache/export32.log 2>&1
  python3 tools/model/export_torchvision.py --random-weights --fp16 --out .cache/models > .cache/export16.log 2>&1
  python3 tools/model/onnx_fp16.py resources/models/shapes-retinanet.onnx .cache/models/shapes-retinanet-fp16.onnx > .cache/export-shapes16.log 2>&1
  cp resources/models/shapes-retinanet.json .cache/models/shapes-retinanet-fp16.json ) &
exports=$!

if wants exactness; then
  step "exactness: goldens through WebGPU, float16, pipeline WebGPU vs CPU, auto"
  timeout 240 node .gpu/app/bundle/exactness-check.js 2>&1 | quiet
fi
wait $exports
tail -qn 1 .cache/export32.log .cache/export16.log .cache/export-shapes16.log

if wants bundled; then
  step "benchmark: the bundled model, float32 and float16, on every provider"
  BENCH_DETECT_CPU=0 BENCH_THREADS="${BENCH_THREADS:-16}" BENCH_ROUNDS="${BENCH_ROUNDS:-3}" BENCH_PROVIDER_IMAGES="${BENCH_PROVIDER_IMAGES:-256}" \
    BENCH_PROVIDER_MODELS="${BUNDLED_EXTRA-.cache/models/shapes-retinanet-fp16.onnx}" \
    timeout 240 node .gpu/app/bundle/bench-detect.js 2>&1 | quiet
fi

if wants job; then
  step "whole detection runs with saving against the detector alone: the bundled model on WebGPU"
  BENCH_RUN_PROVIDER=webgpu BENCH_RUN_MODEL=bundled BENCH_RUN_IMAGE_FOLDER=resources/samples BENCH_RUN_IMAGES="${BENCH_RUN_IMAGES:-512}" \
    timeout 180 node .gpu/app/bundle/bench-run-writes.js 2>&1 | quiet
fi

if wants resnet; then
  step "benchmark: ResNet-50-FPN float32 and float16 on WebGPU"
  for m in .cache/models/*resnet50*.onnx; do
    BENCH_DETECT_CPU=0 BENCH_PROVIDERS=webgpu BENCH_ROUNDS=2 BENCH_PROVIDER_IMAGES=32 BENCH_BATCHES=1,2,4 \
      BENCH_PROVIDER_MODELS="$m" BENCH_SKIP_BUNDLED=1 timeout 150 node .gpu/app/bundle/bench-detect.js 2>&1 | quiet
  done
fi

if wants ort; then
  step "ONNX Runtime alone (ort-bench.mjs), ResNet-50-FPN at 800×1216, batch 1"
  EPS=webgpu:NHWC node .gpu/ort-bench.mjs "$ORT_NODE" .cache/models/retinanet_resnet50_fpn-random.onnx 800 1216 10 2>&1 | quiet
  F16=1 EPS=webgpu:NHWC node .gpu/ort-bench.mjs "$ORT_NODE" .cache/models/retinanet_resnet50_fpn-random-fp16.onnx 800 1216 10 2>&1 | quiet
fi
step "done"
