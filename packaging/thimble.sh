#!/bin/sh
# The `thimble` command of the installed image (bin/thimble; /usr/bin/thimble links here). The workbench
# and the servers (no command, open, serve, server) start thimble-app: GraalJS on its optimizing compiler
# and an AOT cache trained on the window and the server. Every other command starts thimble-cli, the
# class path only, so `thimble validate` in a loop starts in a fraction of that. Decision 0016.
bin="$(dirname "$(readlink -f "$0")")"
case "${1:-open}" in
  open|serve|server) exec "$bin/thimble-app" "$@" ;;
  *) exec "$bin/thimble-cli" "$@" ;;
esac
