# Sourced by ./thimble, ./run-tests and .ci/run: selects a JDK 25 or newer and exports JAVA_HOME.
# Order: $JAVA_HOME if it is 25+, then JDKs under /usr/lib/jvm (newest first), then `java` on the PATH.

thimble_java_major() { # prints the major version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

thimble_select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(thimble_java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  cat >&2 <<'MSG'
Thimble needs a JDK 25 or newer, and none was found (checked $JAVA_HOME, /usr/lib/jvm/*, and java on the PATH).
Install one, e.g. Eclipse Temurin 25 (https://adoptium.net), then set JAVA_HOME to it:
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
MSG
  return 1
}
