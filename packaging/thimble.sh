#!/bin/sh
# The `thimble` command of the installed image (bin/thimble; /usr/bin/thimble links here). The workbench
# and the servers (no command, open, serve, server) start thimble-app: GraalJS on its optimizing compiler
# and an AOT cache trained on the window and the server. Every other command starts thimble-cli, the
# class path only, so `thimble validate` in a loop starts in a fraction of that. `thimble --version`
# runs the CLI's short main path on the image's java with the runtime jar alone: no AOT cache (a cache
# loads every class it holds at start, ~0.5 s), no launcher configuration, ~0.1 s. Decision 0023.
bin="$(dirname "$(readlink -f "$0")")"
case "${1:-open}" in
  open|serve|server)
    # thimble-app's AOT cache serves only the path it was trained at (GraalJS's module path is in it):
    # /opt/thimble for the .deb. An image unpacked elsewhere starts without it, quietly.
    trained="$(cat "$bin/../lib/app/thimble-app.aot.path" 2>/dev/null || true)"
    if [ -n "$trained" ] && [ "$(readlink -f "$bin/..")" != "$(readlink -f "$trained" 2>/dev/null || echo "$trained")" ]; then
      export JAVA_TOOL_OPTIONS="-XX:AOTMode=off${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"
    fi
    exec "$bin/thimble-app" "$@" ;;
  --version|-V)
    [ "$#" -eq 1 ] || exec "$bin/thimble-cli" "$@"
    for jar in "$bin"/../lib/app/thimble-runtime-*.jar; do :; done
    exec "$bin/../lib/runtime/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$jar" dev.thimble.runtime.cli.Thimble "$1" ;;
  *) exec "$bin/thimble-cli" "$@" ;;
esac
