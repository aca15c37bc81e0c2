#!/usr/bin/env bash
# Writes IMAGE/lib/app/LAUNCHER.aot, an AOT cache of the app image (JEP 483/514/515): runs JAVA_ARGS
# (a main class and its arguments) once on the image's own java with exactly the launcher's class path
# and JVM options, read from IMAGE/lib/app/LAUNCHER.cfg (a cache is only used by a JVM started like that).
# Usage: aot-train.sh IMAGE LAUNCHER JAVA_ARGS...   (build-installers.sh calls it)
# AOT_CACHE=NAME writes IMAGE/lib/app/NAME instead (one launcher's options, a cache per command: decision 0046);
# AOT_TRAINING_OPTIONS adds JVM options to the training run (e.g. -XX:-AOTClassLinking, for a comparison).
# For the window's classes the training needs a display: without a DISPLAY it uses xvfb-run when
# installed, and otherwise passes -Dthimble.training.window=false (the window then starts slower).
set -euo pipefail
image="$1"
launcher="$2"
shift 2
appdir="$(cd "$image/lib/app" && pwd)"
cfg="$appdir/$launcher.cfg"
classpath="$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s#\$APPDIR#$appdir#g" | paste -sd:)"
options=()
while IFS= read -r option; do
  case "$option" in -XX:AOTCache=*) ;; *) options+=("${option//\$APPDIR/$appdir}") ;; esac
done < <(sed -n 's/^java-options=//p' "$cfg")
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
display=()
window=true
if [ -z "${DISPLAY:-}" ]; then
  if command -v xvfb-run >/dev/null 2>&1; then
    display=(xvfb-run -a -s "-screen 0 1280x1024x24")
  else
    window=false
    echo "aot-train: no DISPLAY and no xvfb-run (apt install xvfb xauth): the cache leaves out the window's classes" >&2
  fi
fi
cache="$appdir/${AOT_CACHE:-$launcher.aot}"
rm -f "$cache"
# shellcheck disable=SC2086 # AOT_TRAINING_OPTIONS: options split at spaces on purpose
THIMBLE_HOME="$home" "${display[@]}" "$image/lib/runtime/bin/java" "${options[@]}" ${AOT_TRAINING_OPTIONS:-} -XX:AOTCacheOutput="$cache" -Xlog:aot=error -Xlog:aot+resolve=error \
  -Dthimble.home="$home" -Dthimble.training.window="$window" -cp "$classpath" "$@"
[ -s "$cache" ] || { echo "aot-train: no cache $cache written for $launcher" >&2; exit 1; }
