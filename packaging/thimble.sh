#!/bin/sh
# The `thimble` command of the installed image (bin/thimble; /usr/bin/thimble links here). The workbench
# and the servers (no command, open, serve, server) start thimble-app: GraalJS with its optimizing compiler
# loadable (the window uses it; the servers interpret unless THIMBLE_JIT=on, decision 0077) and an AOT cache
# trained on the window and the server. Every other command starts thimble-cli, the
# class path only, so `thimble validate` in a loop starts in a fraction of that. `thimble --version`
# runs the CLI's short main path on the image's java with the runtime jar alone: no AOT cache (a cache
# loads every class it holds at start, ~0.5 s), no launcher configuration, ~0.1 s. Decision 0023.
bin="$(dirname "$(readlink -f "$0")")"
case "${1:-open}" in
  open|serve|server)
    # thimble-app's AOT caches (the servers', the window's) serve only the path they were trained at (GraalJS's module
    # path is in them): /opt/thimble for the .deb. An image unpacked elsewhere starts without them, quietly.
    trained="$(cat "$bin/../lib/app/thimble-app.aot.path" 2>/dev/null || true)"
    if [ -n "$trained" ] && [ "$(readlink -f "$bin/..")" != "$(readlink -f "$trained" 2>/dev/null || echo "$trained")" ]; then
      export JAVA_TOOL_OPTIONS="-XX:AOTMode=off${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"
    fi
    # The workbench and the servers: thimble-app's java, class path and options (lib/app/thimble-app.cfg), then the window's own
    # heap, GC and JIT options, which win over the launcher's (lib/app/thimble-window.options, below: decisions 0044,
    # 0055, 0062). The servers get their own heap and GC below (decision 0047).
    app="$(dirname "$bin")/lib/app" # the real path: the AOT cache holds the module path as trained
    # No GPU render node (a virtual machine, a container, Xvfb): the workbench draws with JavaFX's software pipeline
    # (dev.thimble.workbench.RenderingPipeline), and GTK need not load Mesa's OpenGL (LLVM, ~43 MB resident) to list
    # GL visuals at start either. Decision 0054. JavaFX's OpenGL pipeline, if chosen, works without GTK's GL too.
    if ! ls /dev/dri/renderD* >/dev/null 2>&1; then export GDK_GL="${GDK_GL:-disable}"; fi
    cfg="$app/thimble-app.cfg"
    classpath="$(sed -n 's/^app\.classpath=//p' "$cfg" | sed "s#\$APPDIR#$app#g" | paste -sd: -)"
    main="$(sed -n 's/^app\.mainclass=//p' "$cfg" | head -n 1)"
    options="$(sed -n 's/^java-options=//p' "$cfg" | sed "s#\$APPDIR#$app#g")"
    extra="$(printf '%s' "${THIMBLE_JAVA_OPTIONS:-}" | tr ' ' '\n')" # last, so they win: THIMBLE_JAVA_OPTIONS=-Xmx1g thimble
    # GraalJS's runtime (decision 0077): THIMBLE_JIT=on compiles hot functions, THIMBLE_JIT=off interprets them; by
    # default the window compiles and the servers interpret. Truffle's fallback runtime is chosen by a property, so the
    # module path, and with it the AOT caches, stay the same either way.
    js=""
    case "${THIMBLE_JIT:-}:${1:-open}" in
      off:*|:serve|:server) js="-Dtruffle.UseFallbackRuntime=true" ;;
    esac
    set -f # the options are split at line ends only, never globbed
    IFS='
'
    if [ "${1:-open}" != open ]; then
      # `thimble serve` / `thimble server`: the same java, class path and options, then a headless server's heap and
      # GC, which win over the launcher's G1 with 512 MB (867 MB RSS after the 16-client run, decision 0034): ./thimble's
      # server flags, the serial collector with a 192 MB ceiling, a heap that gives back what it does not need, two
      # malloc arenas: 388-448 MB after the same run (bench/results/serve-memory.md, decision 0047). Smaller ceilings
      # (128 and 112 MB with a 16 MB young generation) held 375-395 MB but served the same work at half the rate.
      # THIMBLE_JAVA_OPTIONS=-Xmx512m raises the ceiling. The JIT is C2 alone, compiling a method after 1,000 calls,
      # without speculating on branches and types the warm-up never took (no uncommon traps), and glibc gives freed memory
      # back every 3 s (decision 0078): C1 spent twice C2's CPU per function call, tiered C2 held 434-441 MB after the
      # 16-client run (C1's code and profiles beside C2's), C2 alone 362-388 MB; the start-time warm-up runs on while it
      # compiles. THIMBLE_JAVA_OPTIONS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1" goes back to C1 (decision 0060).
      # The JDK's per-thread cache of temporary direct buffers keeps only those up to 64 kB: it held a buffer as large as
      # each thread's largest channel I/O from a heap buffer (many threads do: the embedded database, its wire listener,
      # the log writer), 27-30 MB after the 16-client run (decision 0067). Smaller heaps lower the RSS with the ceiling
      # (160 MB: 354-387 MB after the run, against 395-426 MB) but served fewer operations under sustained load in every
      # pair: not taken (decisions 0072, 0074).
      # GraalJS interpreter-only ($js, unless THIMBLE_JIT=on): with the optimizing compiler the 16-client run served 158-170
      # operations/s at 416-422 MB, interpreter-only 208-216/s at 368-374 MB; CPU-heavy functions run several times slower
      # interpreted (the bench's 20,000-object sort ~10x at C1; decision 0077).
      export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
      # shellcheck disable=SC2086 # one option a line, split on purpose
      exec "$bin/../lib/runtime/bin/java" $options -XX:+UseSerialGC -Xmx192m -XX:MinHeapFreeRatio=10 \
        -XX:MaxHeapFreeRatio=30 -XX:-TieredCompilation -XX:CompileThreshold=1000 -XX:PerMethodTrapLimit=0 \
        -XX:TrimNativeHeapInterval=3000 -Djdk.nio.maxCachedBufferSize=65536 $js $extra -cp "$classpath" "$main" "$@"
    fi
    # The window: its own AOT cache (trained on the window until its server runs), after thimble-app's, so it wins
    # (decision 0046); then its own heap, GC and JIT flags from lib/app/thimble-window.options (packaging/
    # launcher-window.options: the serial collector with its own ceiling, decisions 0044 and 0062; the JIT stopping at
    # C1, decision 0055).
    window="$(cat "$app/thimble-window.options")"
    # shellcheck disable=SC2086 # one option a line, split on purpose
    exec "$bin/../lib/runtime/bin/java" $options -XX:AOTCache="$app/thimble-window.aot" $window $js $extra -cp "$classpath" "$main" "$@" ;;
  --version|-V)
    [ "$#" -eq 1 ] || exec "$bin/thimble-cli" "$@"
    for jar in "$bin"/../lib/app/thimble-runtime-*.jar; do :; done
    exec "$bin/../lib/runtime/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$jar" dev.thimble.runtime.cli.Thimble "$1" ;;
  *) exec "$bin/thimble-cli" "$@" ;;
esac
