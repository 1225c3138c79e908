#!/usr/bin/env bash
# Makes this checkout ready to run: system packages, npm packages, the OpenCV addon, the build.
# Each step is skipped when already done, so running it again is quick.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

# 1. System packages (Debian/Ubuntu names). ffmpeg decodes, libopencv-dev is what the native
#    kernel links against, chromium runs the end-to-end tests.
need=()
for pkg in ffmpeg libopencv-dev chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: Dwellmap needs these system packages: ${need[*]}" >&2
    echo "setup: install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
  echo "setup: Dwellmap needs Node.js 20.19 or newer (this is $(node --version))" >&2; exit 1; }

# 2. npm packages. ffmpeg-static would download a binary: point it at the system ffmpeg instead.
#    The OpenCV addon builds against the system OpenCV; its own OpenCV download is switched off.
export FFMPEG_BIN=/usr/bin/ffmpeg
export OPENCV4NODEJS_DISABLE_AUTOBUILD=1
# The addon compiles in the OpenCV modules the build sees: all of Debian's by default (275 shared
# libraries, ~80 MB and ~0.3 s per process that loads it). The kernel needs core and imgproc, so
# the build is shown only those: their two libraries, and a copy of OpenCV's module list that
# names only them (the other headers are linked in as they are).
system_lib_dir="/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
opencv_view=.cache/opencv-core-imgproc
if [ ! -f "$opencv_view/include/opencv4/opencv2/opencv_modules.hpp" ]; then
  rm -rf "$opencv_view"
  mkdir -p "$opencv_view/include/opencv4/opencv2" "$opencv_view/lib"
  for entry in /usr/include/opencv4/opencv2/*; do
    [ "$(basename "$entry")" = opencv_modules.hpp ] || ln -s "$entry" "$opencv_view/include/opencv4/opencv2/"
  done
  for module in core imgproc; do ln -s "$system_lib_dir/libopencv_$module.so" "$opencv_view/lib/"; done
  printf '#define HAVE_OPENCV_CORE\n#define HAVE_OPENCV_IMGPROC\n' > "$opencv_view/include/opencv4/opencv2/opencv_modules.hpp"
fi
export OPENCV_INCLUDE_DIR="$PWD/$opencv_view/include/opencv4"
export OPENCV_LIB_DIR="$PWD/$opencv_view/lib"
export OPENCV_BIN_DIR=/usr/bin
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export JOBS=max
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.dwellmap-lock 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm packages (the first time this builds the OpenCV addon: several minutes)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.dwellmap-lock
fi

# 3. The native addon: built by its install step; rebuilt here if that was skipped, failed, or
#    gave an addon with more modules than core and imgproc (an older checkout's).
addon=node_modules/@u4/opencv4nodejs/build/Release/opencv4nodejs.node
if ! node -e "process.exit(Object.keys(require('./$addon').modules).sort().join() === 'core,imgproc' ? 0 : 1)" >/dev/null 2>&1; then
  say "building the OpenCV addon against the system OpenCV, core and imgproc (a few minutes)"
  (cd node_modules/@u4/opencv4nodejs && npx --no node-gyp rebuild -j max >/dev/null)
fi

# 4. The app itself, when a source file changed since the last build.
if [ ! -f out/.build-stamp ] || [ -n "$(find src electron.vite.config.ts package-lock.json -newer out/.build-stamp -print -quit)" ]; then
  say "building the app"
  npx --no electron-vite build >/dev/null
  touch out/.build-stamp
fi
