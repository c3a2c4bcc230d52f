# Sourced by .ci/run and usable by hand: selects a JDK 25 and makes sure the tools exist.
# No `cmd | head`/`grep -q` pipelines here: under `set -o pipefail` (as in .ci/run) the writer can die of
# a closed pipe and fail the whole run at random. Output is captured first, then inspected.
find_jdk25() {
  local d v
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25*; do
    [ -n "$d" ] && [ -x "$d/bin/javac" ] || continue
    v=$("$d/bin/java" -version 2>&1) || continue
    case "$v" in *'version "25'*) echo "$d"; return 0 ;; esac
  done
  return 1
}
if ! JAVA_HOME=$(find_jdk25); then
  echo "quant4j: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*25*)." >&2
  echo "quant4j: install Temurin 25 and set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "quant4j: installing Maven (apt-get)" >&2
  apt-get update -qq && apt-get install -y -qq maven >/dev/null
fi
# quant4j-data renders text lines with Java2D, which needs at least one installed font.
if ! ls /usr/share/fonts/*/* >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "quant4j: installing fonts-dejavu-core (apt-get)" >&2
  apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fontconfig >/dev/null
fi
