# Shared by ./bazahunt, deploy/local/kafka.sh and deploy/local/flink-cluster.sh. Source it; it defines
# no behaviour of its own.

# The module opens Flink needs on JDK 17, as its own distribution passes them
# (the root pom's jdk.add-opens property is the same list, for the tests).
JDK_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.sql/java.sql=ALL-UNNAMED
)

# What every JVM that runs the job adds: the incubating vector module, for the pre-filter's vector scan
# (without it the job runs a slower word scan), and no index checks inside vector operations. The scan
# proves its own reads in bounds where it starts (VectorRawScan.scan); the checks cost it a third of its
# speed, because JDK 17 checks every table lookup's indexes with a vector compare and a branch. The scan's
# step loop is also kept out of line (VectorRawScan.nextFlag): inlined into the code that confirms its
# flags, it ran a third slower in most JVM starts. "quiet" keeps the JVM from printing the command.
JOB_JVM_VECTOR_FLAGS=(--add-modules=jdk.incubator.vector -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0 -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,dev.bazahunt.telemetry.VectorRawScan::nextFlag)

# resolved_classpath POM OUTPUT_FILE WHAT: the runtime classpath of a jars-only pom, resolved by Maven
# once and again whenever that pom or the root pom (which pins the versions) changes.
resolved_classpath() {
  local pom="$1" output="$2" what="$3" root_pom
  root_pom="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/pom.xml"
  if [ ! -s "$output" ] || [ "$pom" -nt "$output" ] || [ "$root_pom" -nt "$output" ]; then
    mkdir -p "$(dirname "$output")"
    echo "resolving the $what jars with Maven (first run downloads them)..." >&2
    mvn -B -q -Dstyle.color=never -f "$pom" dependency:build-classpath -Dmdep.outputFile="$output" >&2 \
      || { echo "could not resolve the $what jars" >&2; return 1; }
    # The plugin leaves an unchanged file untouched; mark it fresh so the poms do not look newer again.
    touch "$output"
  fi
  cat "$output"
}

# alive PID_FILE: whether the process whose id the file holds is running.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_process PID_FILE: stops that process (TERM, then KILL after 30 s) and removes the file.
stop_process() {
  local pid_file="$1" pid
  alive "$pid_file" || { rm -f "$pid_file"; return 0; }
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}
