#!/usr/bin/env bash
# Builds Thimble's installers from the distribution this module assembles (target/thimble/lib):
#   target/installer/image/thimble/                 the jpackage app image (its own jlinked JDK, no JDK needed)
#   target/installer/thimble-VERSION-linux-x64.tar.gz   that image as a tarball: desktop and server alike
#   target/installer/thimble_VERSION_amd64.deb       a Debian package installing it to /opt/thimble, `thimble` on the PATH
# Maven runs it in the `installers` profile: mvn -B -Pinstallers -DskipTests package -pl packaging -am
# Usage: build-installers.sh JDK_HOME VERSION   (the JDK that Maven runs on; it becomes the installer's runtime)
# Needs fakeroot and dpkg-deb for the .deb; xvfb-run (or a DISPLAY) lets the AOT training open the window too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jdk="$1"
version="$2"
app_version="${version%%-*}" # 0.1.0-SNAPSHOT -> 0.1.0: jpackage and dpkg want a plain number
lib="$here/target/thimble/lib"
out="$here/target/installer"
image="$out/image/thimble"
appdir="$image/lib/app"
description="Thimble: a workbench and self-hosted runtime for MongoDB Stitch-style apps"

step() { echo "installers: $* ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"; }
fail() { echo "installers: $*" >&2; exit 1; }

[ -d "$lib" ] || fail "no distribution at $lib (the package phase assembles it first)"
rm -rf "$out"
mkdir -p "$out"

# The Graal compiler only runs on the JDK update it was built for (decision 0009). The installer carries
# this JDK, so a mismatch would ship an image whose functions never compile: refuse it here instead.
jdk_version="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p' | head -n 1)"
compiler="$(ls "$lib"/compiler/compiler-*.jar)"
compiler_version="$(basename "$compiler" .jar)"
compiler_version="${compiler_version#compiler-}"
[ "$jdk_version" = "$compiler_version" ] ||
  fail "the Graal compiler $compiler_version needs JDK $compiler_version, but this build runs on JDK $jdk_version: set JAVA_HOME to a JDK $compiler_version"

# 1. The Java runtime: the JDK modules Thimble uses (JavaFX, RichTextFX and the rest stay on the class
# path, they have no module descriptors). jdk.internal.vm.ci is JVMCI, which the Graal compiler plugs into.
# The JDK's empty jdk.graal.compiler module is left out so the real one loads from the module path.
# jdk.jfr (Flight Recorder) is left out: nothing in the image needs it (Truffle's JFR events and JavaFX's pulse
# logger check for it and stay off), and with it the platform MBean server, which serve's listener creates, reads
# its recording configurations at start. A profile of the installed image needs a JDK's java. Decision 0055.
step "jlink: the runtime image"
modules=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs
modules+=,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.xml,java.xml.crypto,jdk.charsets
modules+=,jdk.internal.vm.ci,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$out/runtime"

# 2. The app image: the application's jars and GraalJS's on the class path (lib/app), the compiler apart
# (lib/compiler), the example apps (lib/examples), the server's systemd unit and container file
# (lib/server). bin/thimble (thimble.sh) picks a launcher: thimble-app (window, servers: GraalJS
# optimizing, from the module path) or thimble-cli (every other command: class path only); --version
# runs on the image's java with the runtime jar alone.
step "jpackage: the app image"
mkdir -p "$out/input" "$out/content/server"
cp "$lib"/*.jar "$lib"/graal/*.jar "$out/input/"
cp -r "$lib/compiler" "$out/content/"
cp -r "$root/examples" "$out/content/examples"
cp "$here/server/thimble.service" "$here/server/Containerfile" "$here/server/README.md" "$out/content/server/"
graal_module_path="$(cd "$lib/graal" && ls ./*.jar | sed 's#^\./#$APPDIR/#' | paste -sd:):\$APPDIR/../compiler"
options_of() { # a launcher's options file -> its java options, one a line
  sed -e '/^#/d' -e '/^$/d' -e "s#@GRAAL_MODULE_PATH@#$graal_module_path#" "$here/launcher-$1.options"
}
for launcher in app cli; do
  { echo "java-options=$(options_of "$launcher" | paste -sd' ')"; echo "linux-shortcut=false"; } >"$out/thimble-$launcher.properties"
done
cli_options=()
while IFS= read -r option; do cli_options+=(--java-options "$option"); done < <(options_of cli)
"$jdk/bin/jpackage" --type app-image --dest "$out/image" --name thimble --app-version "$app_version" \
  --vendor Thimble --description "$description" --icon "$root/icons/thimble-256.png" \
  --runtime-image "$out/runtime" --input "$out/input" \
  --main-jar "thimble-runtime-$version.jar" --main-class dev.thimble.runtime.cli.Thimble \
  --app-content "$out/content/compiler,$out/content/examples,$out/content/server" \
  --add-launcher "thimble-app=$out/thimble-app.properties" --add-launcher "thimble-cli=$out/thimble-cli.properties" \
  "${cli_options[@]}"
# bin/thimble becomes the dispatcher (its own .cfg stays, unused); the desktop entry runs it with no command.
install -m 0755 "$here/thimble.sh" "$image/bin/thimble"
# The window's own JVM options (heap, GC, JIT), which bin/thimble passes after thimble-app's; its training uses them too.
options_of window >"$appdir/thimble-window.options"

# 3. The AOT caches (JEP 483/514/515), each from a training run with its launcher's options and class path. A JVM
# loads every class its cache holds before main, so each command has a cache of its own path (decision 0046):
# thimble-serve.aot (thimble-app's, the servers: serve answering and called by a client), thimble-window.aot (the
# workbench: bin/thimble passes it after thimble-app's options; the window until its server runs: a cache of the
# first frame alone made the frame no earlier and the server twice as late), thimble-cli.aot
# (thimble-cli: validate).
# thimble-app's cache holds GraalJS's module path, and a JVM uses such a cache only with the very same
# module path: trained here at the build folder, the installed /opt/thimble would start without it (and
# print AOT errors on every start). So the training sees the image at /opt/thimble, the .deb's install
# path, through a private mount namespace (nothing outside this process tree sees the mount). Without
# `unshare` (not root), it trains in place and says so. (thimble-cli's class-path cache relocates.)
train_at_install_path() { # LAUNCHER ARGS...: aot-train.sh with the image at $install_path
  if unshare -m --propagation private true 2>/dev/null; then
    unshare -m --propagation private bash -c 'set -e; mount -t tmpfs thimble-training "$(dirname "$1")"
      mkdir -p "$1"; mount --bind "$2" "$1"; shift 2; exec "$@"' _ "$install_path" "$image" \
      "$here/aot-train.sh" "$install_path" "$@"
    trained_at="$install_path"
  else
    echo "installers: cannot mount the image at $install_path for the AOT training (needs root): the cache of $1 serves only this build folder" >&2
    "$here/aot-train.sh" "$image" "$@"
    trained_at="$image"
  fi
}
install_path=/opt/thimble
# An AOT cache also records the modification time of every jar and of the runtime's modules file, and
# refuses to load when one differs. jpackage's .deb does not keep the image's times (its staging copy
# stamps them anew), so every file of the image gets one fixed time before the training, and the
# .deb's postinst stamps the installed files with the same time (packaging/deb/postinst; the tarball
# keeps times by itself).
fixed_mtime=200001010000 # touch -t format; the same in packaging/deb/postinst
find "$image" -exec touch -h -t "$fixed_mtime" {} +
training=(dev.thimble.workbench.StartupTraining "$install_path/lib/examples/todo" todo-thmbl)
step "AOT training: thimble-app's servers (as $install_path)"
# The servers interpret GraalJS unless THIMBLE_JIT=on (bin/thimble, decision 0077), so their cache is trained so: a cache
# loads every class it holds at start, and the optimizing runtime's and the compiler's would only fill the metaspace.
AOT_CACHE=thimble-serve.aot AOT_TRAINING_OPTIONS=-Dtruffle.UseFallbackRuntime=true \
  train_at_install_path thimble-app -Dthimble.training.paths=serve "${training[@]}"
step "AOT training: the workbench window (as $install_path)"
# Trained with thimble-app's options (G1, C2), not the window's own: a cache trained with the window's flags was faster to
# interactive at load 15-30 but slower in every pair at load 3-10 (decision 0062); measure on a quiet machine before
# changing (AOT_TRAINING_OPTIONS="$(paste -sd' ' "$appdir/thimble-window.options")" here trains it with them).
AOT_CACHE=thimble-window.aot train_at_install_path thimble-app -Dthimble.training.paths=window "${training[@]}"
echo "$trained_at" >"$appdir/thimble-app.aot.path" # where both caches serve; bin/thimble switches them off elsewhere
step "AOT training: thimble-cli"
"$here/aot-train.sh" "$image" thimble-cli dev.thimble.runtime.cli.Thimble validate "$image/lib/examples/todo"
# Each command's JVM once more, up to main, with its cache, where the caches serve: a cache the JVM cannot take (a
# refused one prints [aot] lines; one written wrong was seen once to crash the JVM as it loaded its classes, decision
# 0054, and a new training wrote a good one) fails the build here instead of a user's first start.
step "AOT caches: each command starts with its own"
starts_with_cache() { # ARGS...: bin/thimble ARGS... at $trained_at, exiting at main
  local out
  if [ "$trained_at" = "$install_path" ]; then
    out="$(THIMBLE_HOME="$check_home" THIMBLE_STARTUP_EXIT=main unshare -m --propagation private bash -c 'set -e
      mount -t tmpfs thimble-check "$(dirname "$1")"; mkdir -p "$1"; mount --bind "$2" "$1"; shift 2; exec "$@"' _ \
      "$install_path" "$image" "$install_path/bin/thimble" "$@" 2>&1)" || fail "thimble $* did not start with its AOT cache (retrain: build again): $out"
  else
    out="$(THIMBLE_HOME="$check_home" THIMBLE_STARTUP_EXIT=main "$image/bin/thimble" "$@" 2>&1)" ||
      fail "thimble $* did not start with its AOT cache (retrain: build again): $out"
  fi
  if grep -q '\[aot\]' <<<"$out"; then fail "thimble $* refused its AOT cache: $out"; fi
}
check_home="$(mktemp -d)"
starts_with_cache open "$install_path/lib/examples/todo"
starts_with_cache serve "$install_path/lib/examples/todo" --port 0
starts_with_cache validate "$image/lib/examples/todo"
rm -rf "$check_home"

# 4. The tarball: the app image, for desktops and servers alike (`thimble serve` needs no display).
step "tar.gz of the app image"
tar -C "$out/image" -czf "$out/thimble-$app_version-linux-x64.tar.gz" thimble

# 5. The .deb: /opt/thimble, /usr/bin/thimble, a desktop entry with the icon. JavaFX needs GTK and fonts
# even though jpackage cannot see that (its own dependency scan only covers the JDK's libraries).
# gzip, not dpkg-deb's default xz: minutes faster to build on two cores and faster to install; a little larger.
export DPKG_DEB_COMPRESSOR_TYPE="${DPKG_DEB_COMPRESSOR_TYPE:-gzip}"
step "jpackage: the .deb"
command -v fakeroot >/dev/null && command -v dpkg-deb >/dev/null ||
  fail "the .deb needs fakeroot and dpkg-deb (apt install fakeroot dpkg-dev)"
# Packaging an existing app image, jpackage takes each launcher's icon from the resource directory (it
# would put its default one in otherwise): the Thimble icon under every launcher's name.
mkdir -p "$out/deb-resources"
cp "$here"/deb/* "$out/deb-resources/"
for launcher in thimble thimble-app thimble-cli; do cp "$root/icons/thimble-256.png" "$out/deb-resources/$launcher.png"; done
"$jdk/bin/jpackage" --type deb --app-image "$image" --dest "$out" --name thimble --app-version "$app_version" \
  --vendor Thimble --description "$description" --icon "$root/icons/thimble-256.png" \
  --resource-dir "$out/deb-resources" --linux-package-name thimble --linux-deb-maintainer "thimble@localhost" \
  --linux-menu-group Development --linux-app-category devel --linux-shortcut \
  --linux-package-deps "fontconfig, fonts-dejavu-core, libgtk-3-0, libxtst6"
step "done: $(cd "$out" && ls -1 ./*.deb ./*.tar.gz | tr '\n' ' ')"
