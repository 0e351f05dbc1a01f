#!/bin/sh
# Builds pycocotools from the public cocoapi source into a scratch folder (never into the
# repository), for tools/eval/make_parity_fixtures.py and `npm run bench -- evaluate`.
#
#   tools/eval/build-pycocotools.sh <cocoapi-checkout> [/tmp/pycocotools-build]
#   export PYCOCOTOOLS_PATH=/tmp/pycocotools-build/PythonAPI
#
# Uses Debian's /usr/bin/python3 with python3-numpy and cython3. cocoapi's accumulate() calls
# np.float, an alias of the builtin float removed in numpy 1.24; it is replaced by np.float64,
# the very same type, so the numbers are unchanged.
set -eu
source_dir=${1:?usage: build-pycocotools.sh <cocoapi-checkout> [build-dir]}
build_dir=${2:-/tmp/pycocotools-build}
rm -rf "$build_dir"
mkdir -p "$build_dir"
cp -r "$source_dir/PythonAPI" "$source_dir/common" "$build_dir/"
sed -i 's/np\.float)/np.float64)/g' "$build_dir/PythonAPI/pycocotools/cocoeval.py"
cd "$build_dir/PythonAPI"
/usr/bin/python3 setup.py build_ext --inplace >build.log 2>&1 || { cat build.log; exit 1; }
rm -rf build
echo "built: export PYCOCOTOOLS_PATH=$build_dir/PythonAPI"
