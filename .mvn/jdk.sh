# Sourced by ./mvnw (POSIX sh): runs Maven itself on a JDK 25 or newer when one is installed, so that
# build plugins running inside Maven's JVM (the formatter check parses Java 25 sources) see the same
# language as the compiler. JAVA_HOME wins when it is a JDK 25+; otherwise the newest 25+ under the
# usual install locations; otherwise nothing changes (Maven then runs on whatever java is first on
# the path, and the build says what it needs).
magpie_jdk_major() {
  v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  echo "${v:-0}"
}

magpie_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(magpie_jdk_major "$JAVA_HOME")" -ge 25 ]; then
    echo "$JAVA_HOME"
    return 0
  fi
  best="" best_major=0
  set +f
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(magpie_jdk_major "$candidate")
    if [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  set -f
  [ -n "$best" ] && echo "$best"
}

if magpie_jdk_home=$(magpie_find_jdk); then
  JAVA_HOME="$magpie_jdk_home"
  export JAVA_HOME
fi
