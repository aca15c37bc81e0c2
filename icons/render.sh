#!/usr/bin/env bash
# Renders the raster icons the installer and the window use from thimble.svg (needs rsvg-convert:
# apt install librsvg2-bin). The PNGs are committed, so building Thimble does not need this tool.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for size in 16 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" "$here/thimble.svg" -o "$here/thimble-$size.png"
done
cp "$here/thimble-64.png" "$here/../workbench-app/src/main/resources/dev/thimble/workbench/thimble-64.png"
