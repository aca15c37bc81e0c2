#!/usr/bin/env bash
# Checks the .deb as a user gets it (CI runs this from .ci/run, as root, on a clean Debian machine):
# installs it with dpkg -i, then, from the installed files only: `thimble --version`, `thimble validate`
# on the example app shipped in the package, `thimble serve` answering the location route with GraalJS
# interpreter-only (the servers' default) and `THIMBLE_JIT=on thimble serve` on its optimizing compiler, and the desktop entry's command opening a window titled Thimble under Xvfb
# (the workbench on its own serial collector, with its AOT cache loaded: decision 0044).
# Finally removes the package again. Prints one ok/FAIL line per check, then "N passed, M failed".
# Usage: packaging/test-installed.sh [DEB]   (default: the one the installers profile built)
# Needs: root, xvfb-run and xauth (Xvfb), xdotool, curl; the deb's own dependencies are installed here.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deb="${1:-$(ls "$here"/target/installer/thimble_*_amd64.deb 2>/dev/null | head -n 1)}"
limit=90 # seconds for anything to appear: generous, the machine may be busy; every wait ends on its condition
work="$(mktemp -d)"
export THIMBLE_HOME="$work/home"
passed=0
failed=0
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

check() { # NAME COMMAND...: runs one check, prints ok or FAIL with what it saw
  local name="$1"
  shift
  if "$@" >"$work/out" 2>&1; then
    echo "ok - $name"
    grep -E ' (ms|after)|^a window|GraalJS' "$work/out" | sed 's/^/    /' | tail -n 5
    passed=$((passed + 1))
  else
    echo "FAIL - $name"
    sed 's/^/    /' "$work/out" | tail -n 30
    failed=$((failed + 1))
  fi
}
millis() { echo $(($(date +%s%N) / 1000000)); }
wait_for() { # SECONDS COMMAND...: until COMMAND succeeds, or false after SECONDS
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

install_deb() {
  [ -f "$deb" ] || { echo "no .deb at '$deb': build it with mvn -B -Pinstallers -DskipTests package -pl packaging -am"; return 1; }
  # dpkg -i does not fetch dependencies: install the ones the package declares first (GTK, fonts, xdg-utils)
  local depends
  depends="$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/([^)]*)//; s/|.*//; s/ //g' | grep -v '^$')"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $depends >/dev/null || return 1
  dpkg -i "$deb" && [ "$(command -v thimble)" = /usr/bin/thimble ] && [ -x /opt/thimble/bin/thimble ]
}

version() {
  local start end
  start=$(millis)
  thimble --version | tee /dev/stderr | grep -Eq '^thimble [0-9]+\.[0-9]+' || return 1
  end=$(millis)
  echo "thimble --version took $((end - start)) ms" >&2
}

validate() {
  thimble validate /opt/thimble/lib/examples/todo
}

serve() {
  local port=18480 url start
  url="http://127.0.0.1:$port/api/client/v2.0/app/todo-thmbl/location"
  start=$(millis)
  thimble serve /opt/thimble/lib/examples/todo --port "$port" >"$work/serve.log" 2>&1 &
  pids+=($!)
  if ! wait_for "$limit" curl -sf "$url"; then
    echo "no answer from $url within $limit s; the server said:"; cat "$work/serve.log"; return 1
  fi
  echo "thimble serve answered the location route after $(($(millis) - start)) ms"
  curl -sf "$url" | tee /dev/stderr | grep -q '"hostname"' || return 1
  # a server interprets GraalJS by default (decision 0077), and says how to compile instead
  wait_for "$limit" grep -q "interpreter-only, the servers' default" "$work/serve.log" || { echo "GraalJS is not interpreter-only as a server's default:"; cat "$work/serve.log"; return 1; }
  grep "GraalJS" "$work/serve.log"
  # the AOT cache was trained for /opt/thimble (build-installers.sh): the JVM must take it, silently
  if grep -q "\[aot\]" "$work/serve.log"; then echo "the installed AOT cache was refused:"; grep "\[aot\]" "$work/serve.log"; return 1; fi
  # a server's JIT is C2 alone (decision 0078), with the cache above taken all the same
  if ! tr '\0' ' ' < "/proc/${pids[-1]}/cmdline" | grep -q -- "-XX:-TieredCompilation -XX:CompileThreshold=1000"; then
    echo "thimble serve does not run C2 alone:"; tr '\0' ' ' < "/proc/${pids[-1]}/cmdline"; echo; return 1
  fi
  # the location route answers while the app is assembled (503 elsewhere); then the app itself serves on that port
  wait_for "$limit" grep -q "^Serving todo" "$work/serve.log" || { echo "the app did not start serving:"; cat "$work/serve.log"; return 1; }
  curl -sf -X POST -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$port/api/client/v2.0/app/todo-thmbl/auth/providers/anon-user/login" | grep -q '"access_token"' || return 1
  kill "${pids[-1]}"
}

serve_jit_on() { # THIMBLE_JIT=on: the installed image carries the Graal compiler that matches its own JDK (decision 0009)
  local port=18481
  THIMBLE_JIT=on thimble serve /opt/thimble/lib/examples/todo --port "$port" >"$work/serve-jit.log" 2>&1 &
  pids+=($!)
  wait_for "$limit" grep -q "optimizing compiler" "$work/serve-jit.log" || { echo "GraalJS is not optimizing with THIMBLE_JIT=on:"; cat "$work/serve-jit.log"; return 1; }
  grep "GraalJS" "$work/serve-jit.log"
  # the servers' AOT cache was trained interpreting; it must still be taken, silently, when they compile
  if grep -q "\[aot\]" "$work/serve-jit.log"; then echo "the AOT cache was refused with THIMBLE_JIT=on:"; grep "\[aot\]" "$work/serve-jit.log"; return 1; fi
  wait_for "$limit" curl -sf "http://127.0.0.1:$port/api/client/v2.0/app/todo-thmbl/location" || { echo "no answer on $port:"; cat "$work/serve-jit.log"; return 1; }
  kill "${pids[-1]}"
}

desktop_window() { # the desktop entry's own command, under Xvfb: a window titled Thimble appears
  local entry exec_line icon
  entry=/usr/share/applications/thimble.desktop
  [ -f "$entry" ] || { echo "no desktop entry $entry"; return 1; }
  exec_line="$(sed -n 's/^Exec=//p' "$entry" | head -n 1)"
  icon="$(sed -n 's/^Icon=//p' "$entry" | head -n 1)"
  echo "desktop entry $entry: Exec=$exec_line Icon=$icon"
  [ -f "$icon" ] || { echo "the desktop entry's icon $icon is missing"; return 1; }
  xvfb-run -a -s "-screen 0 1280x1024x24" bash -c '
    start=$(($(date +%s%N) / 1000000))
    '"$exec_line"' >"$0/window.log" 2>&1 &
    app=$!
    deadline=$(($(date +%s) + $1))
    until xdotool search --onlyvisible --name Thimble >/dev/null 2>&1; do
      if [ "$(date +%s)" -ge "$deadline" ] || ! kill -0 $app 2>/dev/null; then
        echo "no window titled Thimble within $1 s; the app said:"; cat "$0/window.log"; kill $app 2>/dev/null; exit 1
      fi
      sleep 0.1
    done
    echo "a window titled \"$(xdotool getwindowname "$(xdotool search --onlyvisible --name Thimble | head -n 1)")\" after $(($(date +%s%N) / 1000000 - start)) ms"
    # the launcher execs the JVM: $app is the workbench itself, with its own heap, GC and JIT options (decisions 0044,
    # 0055, 0062: every line of lib/app/thimble-window.options, the serial collector among them), its AOT cache loaded
    for option in $(cat /opt/thimble/lib/app/thimble-window.options) -XX:+UseSerialGC; do
      if ! tr "\0" "\n" </proc/$app/cmdline | grep -qx -- "$option"; then
        echo "the workbench runs without its option $option: $(tr "\0" " " </proc/$app/cmdline | cut -c1-400)"; kill $app; exit 1
      fi
    done
    if grep "\[aot\]" "$0/window.log"; then echo "the workbench did not use its AOT cache"; kill $app; exit 1; fi
    # no GPU render node here (a CI machine): JavaFX draws in software and GTK loads no OpenGL, so no Mesa/LLVM (decision 0054)
    if ! ls /dev/dri/renderD* >/dev/null 2>&1; then
      if grep -qE "libLLVM|swrast_dri|libGLX_mesa" /proc/$app/maps; then
        echo "without a GPU the workbench still loaded Mesa: $(grep -oE "[^/ ]*(LLVM|swrast|GLX_mesa)[^/ ]*$" /proc/$app/maps | sort -u | tr "\n" " ")"
        kill $app; exit 1
      fi
      echo "drawn without Mesa (no GPU render node)"
    fi
    kill $app; wait $app 2>/dev/null; exit 0' "$work" "$limit"
}

remove_deb() {
  dpkg -r thimble && [ ! -e /usr/bin/thimble ] && [ ! -e /opt/thimble/bin/thimble ] && [ ! -e /usr/share/applications/thimble.desktop ]
}

echo "test-installed: $deb (load $(cut -d' ' -f1-3 /proc/loadavg))"
check "dpkg -i installs thimble to /opt/thimble with /usr/bin/thimble" install_deb
check "thimble --version" version
check "thimble validate on the installed example" validate
check "thimble serve answers GET /api/client/v2.0/app/todo-thmbl/location, GraalJS interpreter-only" serve
check "THIMBLE_JIT=on thimble serve: GraalJS optimizing" serve_jit_on
check "the desktop entry opens a window titled Thimble (Xvfb)" desktop_window
check "dpkg -r removes thimble and /usr/bin/thimble" remove_deb
echo "test-installed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
