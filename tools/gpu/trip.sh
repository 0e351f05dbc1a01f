#!/usr/bin/env bash
# Packs everything the GPU checks need and keeps off the trip what they never read, so that the
# working tree plus .gpu/ stay within the 64 MiB a device call carries. Run in the project root:
#   bash tools/gpu/trip.sh                  # then the device call (README.md here)
#   bash ../shared/device/pack.sh restore   # afterwards, before any commit
# Files kept off the trip are untracked the way pack.sh untracks its big files (listed in
# .gpu/untracked.txt and git's info/exclude), so `pack.sh restore` brings them all back. A commit
# made in between would delete them.
set -euo pipefail
root=$(git rev-parse --show-toplevel); cd "$root"
bash ../shared/device/pack.sh
node tools/gpu/build-bundles.mjs
bash tools/gpu/pack-modules.sh
rm -rf .gpu/app/.cache # images and models local runs of the bundles left behind

# Not read on the GPU machine: the UI, the tests themselves (their helpers are bundled), the
# documentation's pictures, and the fixtures of other checks (evaluation, formats, resizing,
# training, the other frameworks' layouts).
not_needed=(
  docs src-renderer test/unit test/e2e test/integration
  test/fixtures/eval test/fixtures/formats test/fixtures/resize test/fixtures/golden/training
  test/fixtures/models/r50-fpn-generated.onnx test/fixtures/models/tiny-end-to-end.onnx
  test/fixtures/models/tiny-mmdeploy.onnx test/fixtures/models/tiny-odtk.onnx
  'test/fixtures/golden/tensors/*mmdeploy*' 'test/fixtures/golden/tensors/*odtk*'
)
exclude=$(git rev-parse --git-path info/exclude)
git ls-files -z -- "${not_needed[@]}" | while IFS= read -r -d '' f; do
  git rm -q --cached -- "$f"; echo "/$f" >> "$exclude"; echo "$f" >> .gpu/untracked.txt
done

total=$( (git ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null; find .gpu -type f -exec stat -c %s {} +) | awk '{s+=$1} END {print s}')
echo "kept off the trip: $(wc -l < .gpu/untracked.txt) files (bash ../shared/device/pack.sh restore brings them back)"
echo "travels: $((total / 1048576)) MiB of 64"
if [ "$total" -gt $((64 * 1048576)) ]; then echo "too much for one device call" >&2; exit 1; fi
