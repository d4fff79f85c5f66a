#!/usr/bin/env bash
# A local Apache Flink 2.2 session cluster for running bazahunt's job jar as it runs in production: one
# JobManager and N TaskManagers, each its own JVM, bound to localhost, built from jars that Maven resolves
# (deploy/local/flink/pom.xml; no Docker, no Flink tarball). It does what Flink's bin/ scripts do: memory
# flags from BashJavaUtils, the JDK 17 module opens, StandaloneSessionClusterEntrypoint and
# TaskManagerRunner. The fault-injection test starts, kills and stops it through this same script.
#
#   flink-cluster.sh start [--taskmanagers N] [--slots N] [--rest-port 8081] [--rpc-port 6123]
#                          [--metrics-port 9249] [--work-dir DIR]
#                          [-D key=value ...]   Flink configuration for every process (e.g. s3.endpoint)
#   flink-cluster.sh stop [--work-dir DIR]
#   flink-cluster.sh status [--work-dir DIR]
#   flink-cluster.sh submit [--via rest|cli] [--jar JAR] [--work-dir DIR] -- stream|replay OPTIONS...   prints the job id
#   flink-cluster.sh start-taskmanager [--work-dir DIR]            prints the new TaskManager's number
#   flink-cluster.sh kill-taskmanager N [--work-dir DIR]           kill -9, as a crashed machine would
#   flink-cluster.sh flink [--work-dir DIR] -- CLI ARGS...         Flink's CLI (list, cancel, savepoint, ...)
#
# The web UI is http://localhost:8081 (or --rest-port). State, config and logs live in the work dir,
# .bazahunt/flink/cluster by default. Every JVM serves its metrics for Prometheus: the JobManager on
# http://localhost:9249/metrics (or --metrics-port), taskmanager-N on that port + N. The file system
# plugins of job/target/plugins (s3://, wasbs://,
# abfss://; built by 'mvn package') go into the cluster's plugins folder. Credentials are never -D
# options: the processes inherit AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from this script's environment.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="$ROOT/.bazahunt/flink"
CLASSPATH_FILE="$STATE/classpath.txt"
PLUGINS_CLASSPATH_FILE="$STATE/plugins-classpath.txt"
ENTRY_CLASS="dev.bazahunt.job.BazahuntCli"

taskmanagers=1
slots=2
rest_port=8081
rpc_port=6123
metrics_port=9249
work_dir="$STATE/cluster"
via=rest
jar=""
passthrough=()
dynamic_properties=()

# shellcheck source=common.sh
source "$HERE/common.sh"

die() { echo "flink-cluster.sh: $*" >&2; exit 1; }

classpath() {
  resolved_classpath "$HERE/flink/pom.xml" "$CLASSPATH_FILE" "Flink cluster" || die "no Flink classpath"
}

# A -D key=value for the cluster's processes; secrets are refused, as bazahunt refuses them.
dynamic_property() {
  local property="$1" key
  key="${property%%=*}"
  [ -n "$key" ] && [ "$key" != "$property" ] || die "-D needs key=value, got '$property'"
  case "$(echo "$key" | tr '[:upper:]' '[:lower:]')" in
    *secret*|*password*|*access-key*|*access.key*|*account.key*|*token*|*sas.*)
      die "-D $key: credentials are not taken on the command line; export them (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or put them in a config file" ;;
  esac
  dynamic_properties+=(-D "$property")
}

# The metric reporter plugin for the cluster alone (flink/plugins/pom.xml): not in job/target/plugins,
# because an official image already has plugins/metrics-prometheus. Prints the folder to copy.
reporter_plugins() {
  local jars jar name folder="$STATE/reporter-plugins"
  jars=$(resolved_classpath "$HERE/flink/plugins/pom.xml" "$PLUGINS_CLASSPATH_FILE" "Flink metric reporter") \
    || die "no Flink metric reporter"
  if [ ! -f "$folder/.jars" ] || [ "$(cat "$folder/.jars")" != "$jars" ]; then
    rm -rf "$folder" && mkdir -p "$folder"
    for jar in ${jars//:/ }; do
      # flink-metrics-prometheus-2.2.1.jar goes to metrics-prometheus/, as Flink's plugins/ layout wants.
      name=$(basename "$jar" .jar); name=${name#flink-}; name=${name%-[0-9]*}
      mkdir -p "$folder/$name" && cp "$jar" "$folder/$name/"
    done
    echo "$jars" > "$folder/.jars"
  fi
  echo "$folder"
}

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --taskmanagers) taskmanagers="$2"; shift 2 ;;
      --slots) slots="$2"; shift 2 ;;
      --rest-port) rest_port="$2"; shift 2 ;;
      --rpc-port) rpc_port="$2"; shift 2 ;;
      --metrics-port) metrics_port="$2"; shift 2 ;;
      --work-dir) work_dir="$2"; shift 2 ;;
      --via) via="$2"; shift 2 ;;
      --jar) jar="$2"; shift 2 ;;
      -D) dynamic_property "$2"; shift 2 ;;
      -D*) dynamic_property "${1#-D}"; shift ;;
      --) shift; passthrough=("$@"); break ;;
      *) args+=("$1"); shift ;;
    esac
  done
}

conf_dir() { echo "$work_dir/conf"; }

# A running cluster's REST port comes from its config, so later commands need only --work-dir.
configured_rest_port() {
  if [ -f "$(conf_dir)/rest.port" ]; then cat "$(conf_dir)/rest.port"; else echo "$rest_port"; fi
}

configured_metrics_port() {
  if [ -f "$(conf_dir)/metrics.port" ]; then cat "$(conf_dir)/metrics.port"; else echo "$metrics_port"; fi
}

# The Prometheus endpoint of a process: the JobManager on the metrics port, taskmanager-N on port + N.
metrics_url() {
  local name="$1" base; base=$(configured_metrics_port)
  case "$name" in
    jobmanager) echo "http://localhost:$base/metrics" ;;
    taskmanager-*) echo "http://localhost:$((base + ${name#taskmanager-}))/metrics" ;;
  esac
}

rest_url() { echo "http://localhost:$(configured_rest_port)"; }

write_config() {
  local conf; conf="$(conf_dir)"
  mkdir -p "$conf" "$work_dir/log" "$work_dir/tmp" "$work_dir/pids"
  cp "$HERE/flink/log4j.properties" "$conf/log4j.properties"
  echo "$rest_port" > "$conf/rest.port"
  # Kept for TaskManagers started later (start-taskmanager): one -D argument per line.
  printf '%s\n' "${dynamic_properties[@]+"${dynamic_properties[@]}"}" > "$conf/dynamic-properties"
  echo "$metrics_port" > "$conf/metrics.port"
  install_plugins
  cat > "$conf/config.yaml" <<YAML
# Written by deploy/local/flink-cluster.sh start; rewritten on every start.
jobmanager:
  rpc: {address: localhost, port: $rpc_port}
  bind-host: localhost
  memory: {process: {size: 1024m}}
  execution: {failover-strategy: region}
taskmanager:
  bind-host: localhost
  host: localhost
  numberOfTaskSlots: $slots
  memory: {process: {size: 1536m}}
parallelism: {default: 2}
rest: {address: localhost, bind-address: localhost, port: $rest_port}
web: {submit: {enable: true}, cancel: {enable: true}, upload: {dir: $work_dir/tmp/web-upload}}
io: {tmp: {dirs: $work_dir/tmp}}
blob: {server: {port: "0"}}
execution:
  checkpointing:
    dir: file://$work_dir/checkpoints
    savepoint-dir: file://$work_dir/savepoints
    num-retained: 2
# BATCH jobs (replay) write their shuffles sort-merged; each result partition reserves this many network
# buffers, and the default (512) lets only a few of replay's partitions run at once in a 1536 MB TaskManager.
taskmanager.network.sort-shuffle.min-buffers: 128
# Prometheus scrapes every JVM (the reporter is a plugin, see reporter_plugins); TaskManagers get their own port.
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: "$metrics_port"
# All processes share one machine: a killed TaskManager is noticed within seconds, not the default 50 s.
heartbeat: {interval: 2000, timeout: 10000}
# Spread the job over the TaskManagers, so that killing one exercises recovery of remote state.
cluster: {evenly-spread-out-slots: true}
restart-strategy:
  type: exponential-delay
  exponential-delay:
    initial-backoff: 1 s
    max-backoff: 20 s
    backoff-multiplier: 2.0
    reset-backoff-threshold: 1 min
    jitter-factor: 0.1
    attempts-before-reset-backoff: 20
YAML
  # The -D options go into config.yaml too: given only as the entrypoints' -D arguments they do not
  # reach the filesystem plugins, and an s3.endpoint left the JobManager's S3 client on AWS's own
  # endpoint (the job stayed CREATED while the source listed its input).
  local property
  for property in "${dynamic_properties[@]+"${dynamic_properties[@]}"}"; do
    [ "$property" = "-D" ] && continue
    printf '%s: "%s"\n' "${property%%=*}" "$(printf '%s' "${property#*=}" | sed 's/[\\"]/\\&/g')" >> "$conf/config.yaml"
  done
}

install_plugins() {
  local plugins="$ROOT/job/target/plugins"
  rm -rf "$work_dir/plugins" && mkdir -p "$work_dir/plugins"
  if [ -d "$plugins" ]; then
    cp -r "$plugins/." "$work_dir/plugins/"
  else
    echo "flink-cluster.sh: no $plugins (build with 'mvn -B package -DskipTests'): only file:// paths will work" >&2
  fi
  cp -r "$(reporter_plugins)/." "$work_dir/plugins/"
  rm -f "$work_dir/plugins/.jars"
}

saved_dynamic_properties() {
  [ -f "$(conf_dir)/dynamic-properties" ] && grep -v '^$' "$(conf_dir)/dynamic-properties" || true
}

# Prints the two result lines of BashJavaUtils: JVM flags (-Xmx, -Xms, ...) and the derived -D options.
memory_flags() {
  local command="$1" log_name="$2" output
  output=$(java -Dlog.file="$work_dir/log/bash-java-utils-$log_name.log" \
    -Dlog4j.configurationFile="file:$(conf_dir)/log4j.properties" -cp "$(classpath)" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$command" --configDir "$(conf_dir)" 2>&1) \
    || { echo "$output" >&2; die "BashJavaUtils $command failed"; }
  local results; results=$(echo "$output" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')
  [ "$(echo "$results" | wc -l)" -ge 2 ] || { echo "$output" >&2; die "BashJavaUtils $command printed no memory settings"; }
  echo "$results" | tail -n 2
}

launch() {
  local name="$1" main_class="$2" resource_command="$3"; shift 3
  local flags jvm_flags dynamic_options saved=()
  mapfile -t saved < <(saved_dynamic_properties)
  flags=$(memory_flags "$resource_command" "$name")
  jvm_flags=$(echo "$flags" | head -n 1)
  dynamic_options=$(echo "$flags" | tail -n 1)
  # Word splitting of the two BashJavaUtils lines is intended: they are flag lists without spaces in values.
  # shellcheck disable=SC2086
  FLINK_CONF_DIR="$(conf_dir)" FLINK_PLUGINS_DIR="$work_dir/plugins" nohup java $jvm_flags "${JDK_OPENS[@]}" "${JOB_JVM_VECTOR_FLAGS[@]}" \
    -Dlog.file="$work_dir/log/$name.log" -Dlog4j.configurationFile="file:$(conf_dir)/log4j.properties" \
    -cp "$(classpath)" "$main_class" --configDir "$(conf_dir)" "$@" "${saved[@]+"${saved[@]}"}" $dynamic_options \
    >"$work_dir/log/$name.out" 2>&1 &
  echo $! > "$work_dir/pids/$name.pid"
}

wait_for_rest() {
  for _ in $(seq 1 120); do
    curl -sf "$(rest_url)/overview" >/dev/null 2>&1 && return 0
    alive "$work_dir/pids/jobmanager.pid" || { tail -20 "$work_dir/log/jobmanager.log" >&2; die "the JobManager exited"; }
    sleep 0.5
  done
  die "the JobManager's REST API did not answer on $(rest_url) within 60 s (see $work_dir/log/jobmanager.log)"
}

wait_for_registration() {
  local name="$1"
  for _ in $(seq 1 120); do
    grep -q "Successful registration at resource manager" "$work_dir/log/$name.log" 2>/dev/null && return 0
    alive "$work_dir/pids/$name.pid" || { tail -20 "$work_dir/log/$name.out" "$work_dir/log/$name.log" >&2 || true; die "$name exited"; }
    sleep 0.5
  done
  die "$name did not register with the JobManager within 60 s (see $work_dir/log/$name.log)"
}

next_taskmanager_number() {
  local highest=0 file number
  for file in "$work_dir"/pids/taskmanager-*.pid "$work_dir"/log/taskmanager-*.log; do
    [ -e "$file" ] || continue
    number="${file##*/taskmanager-}"; number="${number%%.*}"
    [ "$number" -gt "$highest" ] && highest="$number"
  done
  echo $((highest + 1))
}

start_taskmanager() {
  local number name
  number=$(next_taskmanager_number)
  name="taskmanager-$number"
  # The resource id names the TaskManager in the web UI and REST API as the script does (taskmanager-N).
  launch "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS \
    -D "taskmanager.resource-id=$name" -D "metrics.reporter.prom.port=$(( $(configured_metrics_port) + number ))"
  wait_for_registration "$name"
  echo "$number"
}

start() {
  if alive "$work_dir/pids/jobmanager.pid"; then
    echo "$(rest_url)"
    return 0
  fi
  command -v curl >/dev/null 2>&1 || die "curl is needed to talk to the REST API"
  write_config
  rm -f "$work_dir"/pids/*.pid
  launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS \
    --executionMode cluster
  wait_for_rest
  for _ in $(seq 1 "$taskmanagers"); do start_taskmanager >/dev/null; done
  echo "$(rest_url)"
}

stop() {
  local pid_file
  # TaskManagers first, so they do not spend their shutdown reconnecting to a JobManager that is gone.
  for pid_file in "$work_dir"/pids/taskmanager-*.pid; do
    [ -e "$pid_file" ] && stop_process "$pid_file"
  done
  stop_process "$work_dir/pids/jobmanager.pid"
}

kill_taskmanager() {
  local pid_file="$work_dir/pids/taskmanager-$1.pid"
  alive "$pid_file" || die "taskmanager-$1 is not running"
  kill -9 "$(cat "$pid_file")"
  rm -f "$pid_file"
}

# What is really running: every JVM of the work dir, whether the JobManager answers, which TaskManagers it
# has registered, and the jobs. Exits 0 only when the JobManager runs and answers.
status() {
  local pid_file name running=0 jobmanager_up=0
  if alive "$work_dir/pids/jobmanager.pid"; then
    jobmanager_up=1
    echo "jobmanager (pid $(cat "$work_dir/pids/jobmanager.pid")), web UI $(rest_url), metrics $(metrics_url jobmanager)"
  else
    echo "jobmanager: not running"
  fi
  for pid_file in "$work_dir"/pids/taskmanager-*.pid; do
    [ -e "$pid_file" ] || continue
    name=$(basename "$pid_file" .pid)
    if alive "$pid_file"; then
      running=$((running + 1))
      echo "$name (pid $(cat "$pid_file")), metrics $(metrics_url "$name")$([ "$jobmanager_up" = 1 ] || echo ", without a JobManager")"
    fi
  done
  [ "$running" -gt 0 ] || echo "taskmanagers: none running"
  [ "$jobmanager_up" = 1 ] || return 1
  local overview taskmanagers jobs
  overview=$(curl -sf "$(rest_url)/overview") || { echo "the JobManager does not answer on $(rest_url)"; return 1; }
  echo "cluster: $(echo "$overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p') taskmanager(s) registered," \
    "$(echo "$overview" | sed -n 's/.*"slots-available":\([0-9]*\).*/\1/p') of" \
    "$(echo "$overview" | sed -n 's/.*"slots-total":\([0-9]*\).*/\1/p') slots free"
  taskmanagers=$(curl -sf "$(rest_url)/taskmanagers" | grep -o '"id":"[^"]*"' | sed 's/"id":"\(.*\)"/\1/' | tr '\n' ' ')
  [ -z "$taskmanagers" ] || echo "registered: $taskmanagers"
  jobs=$(curl -sf "$(rest_url)/jobs/overview" | grep -o '"jid":"[0-9a-f]*","name":"[^"]*"[^}]*"state":"[A-Z]*"' \
    | sed 's/"jid":"\([0-9a-f]*\)","name":"\([^"]*\)".*"state":"\([A-Z]*\)"/job \1 \3 \2/')
  if [ -n "$jobs" ]; then echo "$jobs"; else echo "jobs: none"; fi
}

shaded_jar() {
  if [ -n "$jar" ]; then echo "$jar"; return; fi
  local found
  found=$(ls "$ROOT"/job/target/bazahunt-job-*-shaded.jar 2>/dev/null | head -n 1 || true)
  [ -n "$found" ] || die "no job/target/bazahunt-job-*-shaded.jar: build it with 'mvn -B package -DskipTests', or pass --jar"
  echo "$found"
}

json_string() {
  local text="$1"
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  printf '"%s"' "$text"
}

submit_rest() {
  local job_jar="$1"; shift
  local upload jar_id body="" arg response job_id
  upload=$(curl -sS -X POST -H "Expect:" -F "jarfile=@$job_jar" "$(rest_url)/jars/upload") || die "uploading $job_jar failed"
  jar_id=$(echo "$upload" | sed -n 's/.*"filename":"\([^"]*\)".*/\1/p')
  jar_id="${jar_id##*/}"
  [ -n "$jar_id" ] || die "the upload was refused: $upload"
  for arg in "$@"; do body="${body:+$body,}$(json_string "$arg")"; done
  response=$(curl -sS -X POST -H 'Content-Type: application/json' \
    -d "{\"entryClass\":\"$ENTRY_CLASS\",\"programArgsList\":[$body]}" "$(rest_url)/jars/$jar_id/run") \
    || die "running the uploaded jar failed"
  job_id=$(echo "$response" | sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p')
  [ -n "$job_id" ] || die "the job was not started: $response"
  echo "$job_id"
}

flink_cli() {
  FLINK_CONF_DIR="$(conf_dir)" FLINK_PLUGINS_DIR="$work_dir/plugins" java "${JDK_OPENS[@]}" -Dlog.file="$work_dir/log/flink-cli.log" \
    -Dlog4j.configurationFile="file:$(conf_dir)/log4j.properties" -cp "$(classpath)" \
    org.apache.flink.client.cli.CliFrontend "$@"
}

submit_cli() {
  local job_jar="$1"; shift
  local output job_id
  output=$(flink_cli run -m "localhost:$(configured_rest_port)" -d -c "$ENTRY_CLASS" "$job_jar" "$@" 2>&1) \
    || { echo "$output" >&2; die "flink run failed"; }
  job_id=$(echo "$output" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | head -n 1)
  [ -n "$job_id" ] || { echo "$output" >&2; die "flink run printed no job id"; }
  echo "$job_id"
}

command="${1:-}"; [ $# -gt 0 ] && shift
args=()
parse_options "$@"
set -- "${args[@]+"${args[@]}"}"

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  start-taskmanager)
    alive "$work_dir/pids/jobmanager.pid" || die "the cluster is not running"
    start_taskmanager ;;
  kill-taskmanager)
    [ $# -ge 1 ] || die "usage: flink-cluster.sh kill-taskmanager N"
    kill_taskmanager "$1" ;;
  submit)
    [ ${#passthrough[@]} -ge 1 ] || die "usage: flink-cluster.sh submit [--via rest|cli] [--jar JAR] -- stream OPTIONS..."
    alive "$work_dir/pids/jobmanager.pid" || die "the cluster is not running"
    job_jar=$(shaded_jar)
    case "$via" in
      rest) submit_rest "$job_jar" "${passthrough[@]}" ;;
      cli) submit_cli "$job_jar" "${passthrough[@]}" ;;
      *) die "--via must be rest or cli, got '$via'" ;;
    esac ;;
  flink) flink_cli "${passthrough[@]+"${passthrough[@]}"}" "$@" ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    [ "$command" = "--help" ] || [ "$command" = "-h" ] || exit 2 ;;
esac
