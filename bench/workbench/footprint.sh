#!/usr/bin/env bash
# Where an idle workbench's memory goes. Usage: bench/workbench/footprint.sh LABEL IMAGE [JVM options...]
# Opens IMAGE/bin/thimble (an installed app image) on a copy of examples/todo under xvfb-run (unless there is
# a DISPLAY), waits until the window is interactive and its server runs, lets it settle, then prints VmRSS,
# the resident split (anonymous, file-backed: the AOT cache and jars count once touched), and with
# -XX:NativeMemoryTracking=summary among the options the JVM's own account (heap, metaspace, code cache,
# threads, GC, ...) to /tmp/thimble-footprint-LABEL.txt. The options go in through JAVA_TOOL_OPTIONS, after
# the launcher's own, so they override them. FOOTPRINT_SETTLE (seconds, default 15) is the idle wait.
set -euo pipefail
label="$1"; image="$2"; shift 2
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=$(mktemp -d /tmp/thimble-footprint.XXXX)
cp -r examples/todo "$work/app"
out="/tmp/thimble-footprint-$label.txt"
display=()
[ -n "${DISPLAY:-}" ] || display=(xvfb-run -a -s "-screen 0 1280x1024x24")
THIMBLE_HOME="$work/home" THIMBLE_STARTUP_TRACE=1 JAVA_TOOL_OPTIONS="$*" \
  "${display[@]}" "$image/bin/thimble" open "$work/app" >"$work/out.log" 2>&1 &
launcher=$!
for _ in $(seq 1 600); do
  grep -q "ms interactive" "$work/out.log" && grep -q "ms server-running" "$work/out.log" && break
  kill -0 $launcher 2>/dev/null || { cat "$work/out.log"; exit 1; }
  sleep 0.5
done
pid=""
for p in $(pgrep -f "$work/app"); do # the JVM: the image's launcher (it runs the JVM in its own process)
  case "$(basename "$(readlink -f /proc/$p/exe)")" in thimble-app|java) pid=$p ;; esac
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
} | tee "$out"
kill "$pid" 2>/dev/null || true # our own workbench, by its id
wait $launcher 2>/dev/null || true
rm -rf "$work"
