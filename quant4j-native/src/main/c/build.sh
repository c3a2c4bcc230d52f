#!/bin/sh
# Compiles libquant4j.so for linux-x86_64 into $1/native/linux-x86_64/ (called by Maven).
# No -march: every SIMD function carries its own target attribute and is chosen at run time.
# Without a C compiler, or on another platform, it warns and succeeds: the Java side then
# reports the native provider unavailable and the Panama provider serves.
set -u
src=$(cd "$(dirname "$0")" && pwd)
out="$1/native/linux-x86_64"
if [ "$(uname -s 2>/dev/null)" != Linux ] || [ "$(uname -m 2>/dev/null)" != x86_64 ]; then
  echo "[WARNING] quant4j-native: platform $(uname -s)-$(uname -m) not supported; native kernels not built" >&2; exit 0
fi
CC=${CC:-cc}
if ! command -v "$CC" >/dev/null 2>&1; then
  if command -v gcc >/dev/null 2>&1; then CC=gcc; else
    echo "[WARNING] quant4j-native: no C compiler (cc/gcc) found; native kernels not built" >&2; exit 0; fi
fi
mkdir -p "$out"
if ! "$CC" -std=c11 -O3 -fPIC -shared -fvisibility=hidden -ffp-contract=off -Wall -Wextra \
     -o "$out/libquant4j.so.tmp" "$src"/*.c -lm; then
  echo "[WARNING] quant4j-native: compiling the native kernels with $CC failed; native kernels not built" >&2
  rm -f "$out/libquant4j.so.tmp"; exit 0
fi
mv -f "$out/libquant4j.so.tmp" "$out/libquant4j.so"
echo "[INFO] quant4j-native: built $out/libquant4j.so with $("$CC" --version | head -1)"
