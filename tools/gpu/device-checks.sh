#!/usr/bin/env bash
# The GPU checks, in one call on the GPU machine (see README.md here). Runs after
# .gpu/device.sh has unpacked Node.js, onnxruntime-node and the Vulkan libraries:
#   bash .gpu/device.sh bash tools/gpu/device-checks.sh
# Writes everything it prints to $OUT/gpu-checks.log as well.
set -uo pipefail
log="${OUT:-/tmp}/gpu-checks.log"
exec > >(tee -a "$log") 2>&1
started=$(date +%s)
step() { printf '\n::: %s (%ss)\n' "$1" "$(( $(date +%s) - started ))"; }

step "node_modules: sharp from .gpu, onnxruntime-node from device.sh"
mkdir -p node_modules
tar xJf .gpu/sharp.tar.xz -C node_modules
ln -sfn "$ORT_NODE" node_modules/onnxruntime-node
ln -sfn "$(dirname "$ORT_NODE")/onnxruntime-common" node_modules/onnxruntime-common
ls -la .gpu/app/fixtures >/dev/null || ln -sfn ../../test/fixtures .gpu/app/fixtures
nproc; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

step "ResNet-50-FPN RetinaNet exports (random weights), float32 and float16, in the background"
mkdir -p .cache/models
( python3 tools/model/export_torchvision.py --random-weights --out .cache/models > .cache/export32.log 2>&1
  python3 tools/model/export_torchvision.py --random-weights --fp16 --out .cache/models > .cache/export16.log 2>&1
  python3 tools/model/onnx_fp16.py resources/models/shapes-retinanet.onnx .cache/models/shapes-retinanet-fp16.onnx > .cache/export-shapes16.log 2>&1
  cp resources/models/shapes-retinanet.json .cache/models/shapes-retinanet-fp16.json ) &
exports=$!

step "exactness: goldens through WebGPU, float16, pipeline WebGPU vs CPU, auto"
timeout 240 node .gpu/app/bundle/exactness-check.js 2>&1 | grep -v '^Warning: max'

step "benchmark: bundled model on every provider"
wait $exports
tail -n 3 .cache/export32.log .cache/export16.log .cache/export-shapes16.log; ls -la .cache/models
BENCH_DETECT_CPU=0 BENCH_THREADS=16 BENCH_ROUNDS=3 BENCH_PROVIDER_IMAGES=256 \
  BENCH_PROVIDER_MODELS=.cache/models/shapes-retinanet-fp16.onnx \
  timeout 200 node .gpu/app/bundle/bench-detect.js 2>&1 | grep -v '^Warning: max'

step "benchmark: ResNet-50-FPN float32 and float16 on WebGPU"
for m in .cache/models/*resnet50*.onnx; do
  BENCH_DETECT_CPU=0 BENCH_PROVIDERS=webgpu BENCH_ROUNDS=2 BENCH_PROVIDER_IMAGES=32 BENCH_BATCHES=1,2,4,8 \
    BENCH_PROVIDER_MODELS="$m" BENCH_SKIP_BUNDLED=1 timeout 150 node .gpu/app/bundle/bench-detect.js 2>&1 | grep -v '^Warning: max'
done
step "done"
