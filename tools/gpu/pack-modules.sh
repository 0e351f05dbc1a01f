#!/usr/bin/env bash
# Packs the native modules the GPU checks need besides onnxruntime-node (which
# ../shared/device/pack.sh packs) from this machine's node_modules into .gpu/modules.tar.xz:
# sharp (image decoding) and better-sqlite3 (the whole-run benchmark writes a project file).
# Both are built for linux x64 and this Node.js, which pack.sh also sends.
set -euo pipefail
root=$(git rev-parse --show-toplevel); cd "$root"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir -p "$t/m/@img" "$t/m/better-sqlite3/build/Release" .gpu
cp -r node_modules/{sharp,detect-libc,semver,bindings,file-uri-to-path} "$t/m/"
cp -r node_modules/@img/{colour,sharp-linux-x64,sharp-libvips-linux-x64} "$t/m/@img/"
cp -r node_modules/better-sqlite3/{package.json,lib} "$t/m/better-sqlite3/"
cp node_modules/better-sqlite3/build/Release/better_sqlite3.node "$t/m/better-sqlite3/build/Release/"
tar cJf .gpu/modules.tar.xz -C "$t/m" .
echo ".gpu/modules.tar.xz: $(du -h .gpu/modules.tar.xz | cut -f1)"
