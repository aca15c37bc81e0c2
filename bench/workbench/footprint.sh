#!/usr/bin/env bash
# Where an idle workbench's memory goes. Usage: bench/workbench/footprint.sh LABEL IMAGE [JVM options...]
# Opens the workbench of IMAGE (an installed app image: its java, thimble-app's class path and options, then
# the given ones) on a copy of examples/todo under xvfb-run (unless there is a DISPLAY), waits until the window is interactive and its server runs, lets it settle, then prints VmRSS,
# the resident split (anonymous, file-backed: the AOT cache and jars count once touched), and with
# -XX:NativeMemoryTracking=summary among the options the JVM's own account (heap, metaspace, code cache,
# threads, GC, ...) to /tmp/thimble-footprint-LABEL.txt. FOOTPRINT_SETTLE (seconds, default 15) is the idle
# wait; FOOTPRINT_SMAPS=1 adds the resident size by mapping, FOOTPRINT_FULL_GC=1 what a full collection leaves.
set -euo pipefail
label="$1"; image="$2"; shift 2
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=$(mktemp -d /tmp/thimble-footprint.XXXX)
cp -r examples/todo "$work/app"
out="/tmp/thimble-footprint-$label.txt"
display=()
[ -n "${DISPLAY:-}" ] || display=(xvfb-run -a -s "-screen 0 1280x1024x24")
# The image's java with thimble-app's class path and options (as aot-train.sh reads them), then the given
# options last, so they win (JAVA_TOOL_OPTIONS would come before the launcher's own and lose to them).
appdir="$(cd "$image/lib/app" && pwd)"
cfg="$appdir/thimble-app.cfg"
classpath="$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s#\$APPDIR#$appdir#g" | paste -sd:)"
options=()
while IFS= read -r option; do options+=("${option//\$APPDIR/$appdir}"); done < <(sed -n 's/^java-options=//p' "$cfg")
THIMBLE_HOME="$work/home" THIMBLE_STARTUP_TRACE=1 "${display[@]}" "$image/lib/runtime/bin/java" "${options[@]}" "$@" \
  -cp "$classpath" dev.thimble.runtime.cli.Thimble open "$work/app" >"$work/out.log" 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  grep -q "ms interactive" "$work/out.log" && grep -q "ms server-running" "$work/out.log" && break
  kill -0 $launcher 2>/dev/null || { cat "$work/out.log"; exit 1; }
  sleep 0.5
done
pid=""
for p in $(pgrep -f "$work/app"); do # the JVM: the image's launcher (it runs the JVM in its own process)
  [ "$(basename "$(readlink -f /proc/$p/exe)")" = java ] && pid=$p
done
[ -n "$pid" ] || { echo "no workbench process found"; exit 1; }
sleep "${FOOTPRINT_SETTLE:-15}"
{
  echo "== $label: $* (load $(cut -d' ' -f1-3 /proc/loadavg))"
  grep -E "ms (main|fx-started|window-shown|interactive|server-running)" "$work/out.log" | sed 's/^/  /'
  grep -E "^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem|Threads)" /proc/$pid/status | sed 's/^/  /'
  if [[ " $* " == *"NativeMemoryTracking"* ]]; then
    jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
    "$jcmd" "$pid" VM.native_memory summary 2>&1 | grep -E "^(Total|-  *[A-Z][A-Za-z ]+ \(reserved)|^ *\(heap|^ *\(classes|^ *\(thread" || true
  fi
  if [ -n "${FOOTPRINT_SMAPS:-}" ]; then # resident size by mapping: the heap, anonymous native memory, the AOT cache, libraries
    awk '/^[0-9a-f]+-[0-9a-f]+ /{name=($6==""?"[anon]":$6)} /^Rss:/{rss[name]+=$2} END{for(n in rss) if(rss[n]>=2048) printf "  %7d kB %s\n", rss[n], n}' /proc/$pid/smaps | sort -rn | head -25
  fi
  if [ -n "${FOOTPRINT_FULL_GC:-}" ]; then # what a full collection leaves: the live heap and the resident size it allows
    jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
    "$jcmd" "$pid" GC.run >/dev/null 2>&1; sleep 3
    "$jcmd" "$pid" GC.heap_info 2>&1 | sed -n '2,4p'
    echo "  after a full GC: $(grep VmRSS /proc/$pid/status)"
  fi
} | tee "$out"
kill "$pid" 2>/dev/null || true # our own workbench, by its id
wait $launcher 2>/dev/null || true
rm -rf "$work"
