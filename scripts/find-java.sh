# Sourced by ./berth and ./run-tests: sets BERTH_JAVA_HOME to a JDK whose version is at least 21,
# looking at JAVA_HOME, then the java on PATH, then every JDK under /usr/lib/jvm.
berth_java_version() {
  # The JDK's release file names its version; asking the JVM itself costs a start-up.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
  fi
}

berth_find_java() {
  local candidates=() candidate version
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$(berth_java_version "$candidate")
    version=${version%%.*}
    if [ -n "$version" ] && [ "$version" -ge 21 ] 2>/dev/null; then
      BERTH_JAVA_HOME=$candidate
      return 0
    fi
  done
  echo "berth: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)" >&2
  return 1
}
