#!/usr/bin/env bash
# A real Apache Kafka 4.x broker for trying bazahunt's live mode and for its integration tests: KRaft,
# broker and controller in one JVM, bound to 127.0.0.1, built from jars that Maven resolves (no Docker,
# no Kafka tarball). The integration tests start and stop it through this same script.
#
#   kafka.sh start [--port 9092] [--controller-port 9093] [--data-dir DIR]   prints the bootstrap server
#   kafka.sh stop [--data-dir DIR]
#   kafka.sh status [--data-dir DIR]
#   kafka.sh create-topic TOPIC [--partitions N] [--bootstrap-server HOST:PORT]
#   kafka.sh produce TOPIC FILE... [--bootstrap-server HOST:PORT]     one message per line (.gz read too)
#   kafka.sh consume TOPIC [--bootstrap-server HOST:PORT] [--from-beginning] [--timeout-ms MS]
#                                                                       read_committed, key and value
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="$ROOT/.bazahunt/kafka"
CLASSPATH_FILE="$STATE/classpath.txt"
# shellcheck source=common.sh
source "$HERE/common.sh"

port=9092
controller_port=9093
data_dir="$STATE/data"
bootstrap=""
partitions=2
from_beginning=""
timeout_ms=10000

die() { echo "kafka.sh: $*" >&2; exit 1; }

classpath() {
  resolved_classpath "$HERE/kafka/pom.xml" "$CLASSPATH_FILE" "Kafka broker" || die "no Kafka classpath"
}

kafka_java() {
  java -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" -Dkafka.logs.dir="$data_dir" \
    -cp "$(classpath)" "$@"
}

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --controller-port) controller_port="$2"; shift 2 ;;
      --data-dir) data_dir="$2"; shift 2 ;;
      --bootstrap-server) bootstrap="$2"; shift 2 ;;
      --partitions) partitions="$2"; shift 2 ;;
      --from-beginning) from_beginning="--from-beginning"; shift ;;
      --timeout-ms) timeout_ms="$2"; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
}

running_pid() {
  local pid_file="$data_dir/broker.pid"
  [ -f "$pid_file" ] || return 1
  local pid; pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if pid=$(running_pid); then
    echo "127.0.0.1:$(cat "$data_dir/port")"
    return 0
  fi
  mkdir -p "$data_dir/log"
  cat > "$data_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data_dir/log
num.partitions=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
# Exactly-once producers keep transactions open up to 1 h (bazahunt stream's default transaction.timeout.ms)
# so that an outage of the job shorter than that loses nothing; the broker's default maximum is 15 min.
transaction.max.timeout.ms=7200000
PROPS
  if [ ! -f "$data_dir/log/meta.properties" ]; then
    # A KRaft cluster id is 16 random bytes, base64url without padding.
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    kafka_java kafka.tools.StorageTool format --standalone --cluster-id="$cluster_id" \
      -c "$data_dir/server.properties" >"$data_dir/format.out" 2>&1 || { cat "$data_dir/format.out" >&2; die "formatting the storage failed"; }
  fi
  nohup java ${KAFKA_HEAP_OPTS:--Xms512m -Xmx512m} -Dlog4j2.configurationFile="$HERE/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$data_dir" -cp "$(classpath)" kafka.Kafka "$data_dir/server.properties" \
    >"$data_dir/broker.out" 2>&1 &
  echo $! > "$data_dir/broker.pid"
  echo "$port" > "$data_dir/port"
  for _ in $(seq 1 120); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "127.0.0.1:$port"
      return 0
    fi
    kill -0 "$(cat "$data_dir/broker.pid")" 2>/dev/null || { tail -20 "$data_dir/broker.out" >&2; die "the broker exited"; }
    sleep 0.5
  done
  die "the broker did not open 127.0.0.1:$port within 60 s (see $data_dir/broker.log)"
}

stop() {
  if pid=$(running_pid); then
    kill "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$data_dir/broker.pid"
}

server() {
  if [ -n "$bootstrap" ]; then echo "$bootstrap"; elif [ -f "$data_dir/port" ]; then echo "127.0.0.1:$(cat "$data_dir/port")"; else echo "127.0.0.1:$port"; fi
}

command="${1:-}"; [ $# -gt 0 ] && shift
args=()
parse_options "$@"
set -- "${args[@]+"${args[@]}"}"

case "$command" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then echo "running (pid $pid) on $(server)"; else echo "not running"; exit 1; fi ;;
  create-topic)
    [ $# -ge 1 ] || die "usage: kafka.sh create-topic TOPIC [--partitions N]"
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$(server)" --create --if-not-exists \
      --topic "$1" --partitions "$partitions" --replication-factor 1 ;;
  produce)
    [ $# -ge 2 ] || die "usage: kafka.sh produce TOPIC FILE..."
    topic="$1"; shift
    for file in "$@"; do
      case "$file" in *.gz) gzip -dc "$file" ;; *) cat "$file" ;; esac
    done | grep -v '^[[:space:]]*$' \
      | kafka_java org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$(server)" --topic "$topic" ;;
  consume)
    [ $# -ge 1 ] || die "usage: kafka.sh consume TOPIC"
    kafka_java org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$(server)" --topic "$1" \
      $from_beginning --timeout-ms "$timeout_ms" --isolation-level read_committed \
      --formatter-property print.key=true --formatter-property key.separator=' ' 2>/dev/null || true ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    [ "$command" = "--help" ] || [ "$command" = "-h" ] || exit 2 ;;
esac
