# Sourced by ./thimble and bench/run: how to start a JVM so GraalJS runs with its optimizing compiler.
# The Graal compiler only loads on the JDK update it was built for (STACK.md), as a module of the
# upgrade module path, with GraalJS itself on the module path; otherwise GraalJS runs interpreter-only
# from the class path (the runtime logs one line saying which). Decision record 0009.

# thimble_graal_split CLASSPATH COMPILER_JAR
# Sets THIMBLE_GRAAL_MODE ("optimizing" or "interpreter"), THIMBLE_GRAAL_WHY (why interpreter),
# THIMBLE_CLASSPATH (what stays on the class path) and THIMBLE_GRAAL_OPTS (an array of JVM options).
# THIMBLE_JIT=off forces the interpreter (from the class path). ./thimble serve and server also interpret by default,
# with the compiler loadable, unless THIMBLE_JIT=on (decision 0077).
thimble_graal_split() {
  local classpath="$1" compiler="$2" jdk_version compiler_version jar graal=() rest=()
  THIMBLE_GRAAL_OPTS=()
  THIMBLE_CLASSPATH="$classpath"
  THIMBLE_GRAAL_MODE=interpreter
  if [ "${THIMBLE_JIT:-on}" = off ]; then
    THIMBLE_GRAAL_WHY="THIMBLE_JIT=off"; return 0
  fi
  if [ ! -f "$compiler" ]; then
    THIMBLE_GRAAL_WHY="no Graal compiler jar at $compiler"; return 0
  fi
  jdk_version="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = \(.*\)$/\1/p' | head -n 1)"
  compiler_version="$(basename "$compiler" .jar)"; compiler_version="${compiler_version#compiler-}"
  if [ "$jdk_version" != "$compiler_version" ]; then
    THIMBLE_GRAAL_WHY="the Graal compiler $compiler_version needs JDK $compiler_version, this is $jdk_version"; return 0
  fi
  local IFS=:
  for jar in $classpath; do
    case "$jar" in
      *.pom) ;;
      */org/graalvm/*.jar|*/graal/*.jar) graal+=("$jar") ;;
      *) rest+=("$jar") ;;
    esac
  done
  [ "${#graal[@]}" -gt 0 ] || { THIMBLE_GRAAL_WHY="no GraalJS jars on the class path"; return 0; }
  THIMBLE_CLASSPATH="${rest[*]}"
  THIMBLE_GRAAL_OPTS=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI
    --module-path "${graal[*]}" --upgrade-module-path "$compiler"
    --add-modules org.graalvm.polyglot,org.graalvm.truffle --enable-native-access=org.graalvm.truffle)
  THIMBLE_GRAAL_MODE=optimizing
  THIMBLE_GRAAL_WHY=""
}
