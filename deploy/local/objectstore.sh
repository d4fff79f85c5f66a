#!/usr/bin/env bash
# Local object stores for trying bazahunt against s3:// and wasb:// and for its integration tests:
# s3proxy (an S3 API server, org.gaul:s3proxy, resolved by Maven) and Azurite (Azure Blob Storage's
# emulator, npm package azurite, installed with npm into .bazahunt/objectstore). Both bind to
# 127.0.0.1 and keep their data in the data dir. The integration tests start and stop them through this
# same script.
#
#   objectstore.sh start [--s3-port 9000] [--blob-port 10000] [--data-dir DIR] [--only s3|azurite]
#   objectstore.sh stop [--data-dir DIR]
#   objectstore.sh status [--data-dir DIR]
#   objectstore.sh env [--data-dir DIR]           prints the environment and -D options for bazahunt (eval it)
#   objectstore.sh mb s3://BUCKET [--data-dir DIR]                 creates a bucket
#   objectstore.sh upload LOCAL_DIR s3://BUCKET/PREFIX [--data-dir DIR]   copies a tree, paths kept
#
# s3proxy's credentials are local, fixed and printed by 'env': they guard nothing but this emulator.
# Azurite serves Azure's well-known development account (devstoreaccount1). Flink reaches it as
# wasb://CONTAINER@storageemulator/PATH, in hadoop-azure's emulator mode, which always connects to
# 127.0.0.1:10000: keep --blob-port at 10000 for Flink. Azurite has no ADLS Gen2 (dfs) endpoint, so
# abfs(s):// directories cannot be tried against it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="$ROOT/.bazahunt/objectstore"
CLASSPATH_FILE="$STATE/classpath.txt"
AZURITE_VERSION=3.37.0
S3_IDENTITY=bazahunt-local
S3_CREDENTIAL=bazahunt-local-secret
# shellcheck source=common.sh
source "$HERE/common.sh"

s3_port=9000
blob_port=10000
data_dir="$STATE/data"
only=""

die() { echo "objectstore.sh: $*" >&2; exit 1; }

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --s3-port) s3_port="$2"; shift 2 ;;
      --blob-port) blob_port="$2"; shift 2 ;;
      --data-dir) data_dir="$2"; shift 2 ;;
      --only) only="$2"; shift 2 ;;
      *) args+=("$1"); shift ;;
    esac
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port="$1" pid_file="$2" log="$3" what="$4"
  for _ in $(seq 1 120); do
    port_open "$port" && return 0
    alive "$pid_file" || { tail -20 "$log" >&2; die "$what exited"; }
    sleep 0.5
  done
  die "$what did not open 127.0.0.1:$port within 60 s (see $log)"
}

start_s3proxy() {
  if alive "$data_dir/s3proxy.pid"; then return 0; fi
  local classpath
  classpath=$(resolved_classpath "$HERE/objectstore/pom.xml" "$CLASSPATH_FILE" "s3proxy") || die "no s3proxy jar"
  mkdir -p "$data_dir/s3"
  cat > "$data_dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_IDENTITY
s3proxy.credential=$S3_CREDENTIAL
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$data_dir/s3
PROPS
  nohup java -Xmx256m -cp "$classpath" org.gaul.s3proxy.Main --properties "$data_dir/s3proxy.properties" \
    >"$data_dir/s3proxy.log" 2>&1 &
  echo $! > "$data_dir/s3proxy.pid"
  echo "$s3_port" > "$data_dir/s3.port"
  wait_for_port "$s3_port" "$data_dir/s3proxy.pid" "$data_dir/s3proxy.log" "s3proxy"
}

azurite_bin() {
  local bin="$STATE/azurite-$AZURITE_VERSION/node_modules/.bin/azurite-blob"
  if [ ! -x "$bin" ]; then
    command -v npm >/dev/null 2>&1 || die "npm is needed to install Azurite (Debian: apt-get install npm)"
    echo "installing azurite@$AZURITE_VERSION with npm (first run)..." >&2
    mkdir -p "$STATE/azurite-$AZURITE_VERSION"
    npm install --silent --no-audit --no-fund --prefix "$STATE/azurite-$AZURITE_VERSION" "azurite@$AZURITE_VERSION" >&2 \
      || die "npm install azurite@$AZURITE_VERSION failed"
  fi
  echo "$bin"
}

start_azurite() {
  if alive "$data_dir/azurite.pid"; then return 0; fi
  local bin; bin=$(azurite_bin)
  mkdir -p "$data_dir/azurite"
  nohup "$bin" --blobHost 127.0.0.1 --blobPort "$blob_port" --location "$data_dir/azurite" --disableTelemetry \
    --skipApiVersionCheck --silent >"$data_dir/azurite.log" 2>&1 &
  echo $! > "$data_dir/azurite.pid"
  echo "$blob_port" > "$data_dir/blob.port"
  wait_for_port "$blob_port" "$data_dir/azurite.pid" "$data_dir/azurite.log" "Azurite"
}

s3_endpoint() { echo "http://127.0.0.1:$(cat "$data_dir/s3.port" 2>/dev/null || echo "$s3_port")"; }

print_env() {
  # The S3 file system reads the keys from the environment itself; they are never passed as -D options.
  echo "export AWS_ACCESS_KEY_ID=$S3_IDENTITY"
  echo "export AWS_SECRET_ACCESS_KEY=$S3_CREDENTIAL"
  echo "export BAZAHUNT_OBJECTSTORE_FLAGS='-Ds3.endpoint=$(s3_endpoint) -Ds3.path.style.access=true'"
  if [ -f "$data_dir/blob.port" ]; then
    echo "export BAZAHUNT_AZURITE_FLAGS='-Dfs.azure.storage.emulator.account.name=storageemulator'"
    echo "# Azurite: wasb://CONTAINER@storageemulator/PATH (blob endpoint http://127.0.0.1:$(cat "$data_dir/blob.port")/devstoreaccount1)"
  fi
}

s3_curl() {
  curl -sS -f --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_IDENTITY:$S3_CREDENTIAL" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}

# s3_url s3://bucket/key -> http://127.0.0.1:PORT/bucket/key (path-style)
s3_url() {
  local uri="$1"
  case "$uri" in s3://*) ;; *) die "not an s3:// URI: $uri" ;; esac
  echo "$(s3_endpoint)/${uri#s3://}"
}

make_bucket() {
  local url; url=$(s3_url "$1")
  url="${url%/}"
  # An existing bucket of ours answers 409; that is fine.
  local code; code=$(curl -sS -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$S3_IDENTITY:$S3_CREDENTIAL" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X PUT "$url")
  case "$code" in 200|409) ;; *) die "creating $1 failed (HTTP $code)" ;; esac
}

upload() {
  local source="$1" target="${2%/}" file relative count=0
  [ -d "$source" ] || die "upload: $source is not a directory"
  while IFS= read -r -d '' file; do
    relative="${file#"$source"/}"
    s3_curl -T "$file" "$(s3_url "$target/$relative")" >/dev/null || die "uploading $file failed"
    count=$((count + 1))
  done < <(find "$source" -type f -print0 | sort -z)
  echo "uploaded $count files to $target"
}

command="${1:-}"; [ $# -gt 0 ] && shift
args=()
parse_options "$@"
set -- "${args[@]+"${args[@]}"}"

case "$command" in
  start)
    command -v java >/dev/null 2>&1 || die "java not found"
    case "$only" in
      "") start_s3proxy; start_azurite ;;
      s3) start_s3proxy ;;
      azurite) start_azurite ;;
      *) die "--only must be s3 or azurite, got '$only'" ;;
    esac
    alive "$data_dir/s3proxy.pid" && echo "s3 $(s3_endpoint)"
    alive "$data_dir/azurite.pid" && echo "azure-blob http://127.0.0.1:$(cat "$data_dir/blob.port")/devstoreaccount1"
    true ;;
  stop)
    stop_process "$data_dir/s3proxy.pid"
    stop_process "$data_dir/azurite.pid" ;;
  status)
    running=0
    if alive "$data_dir/s3proxy.pid"; then echo "s3proxy (pid $(cat "$data_dir/s3proxy.pid")) on $(s3_endpoint)"; running=1; fi
    if alive "$data_dir/azurite.pid"; then echo "azurite (pid $(cat "$data_dir/azurite.pid")) on 127.0.0.1:$(cat "$data_dir/blob.port")"; running=1; fi
    [ "$running" = 1 ] || { echo "not running"; exit 1; } ;;
  env) print_env ;;
  mb)
    [ $# -ge 1 ] || die "usage: objectstore.sh mb s3://BUCKET"
    make_bucket "$1" ;;
  upload)
    [ $# -ge 2 ] || die "usage: objectstore.sh upload LOCAL_DIR s3://BUCKET/PREFIX"
    upload "$1" "$2" ;;
  *)
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
    [ "$command" = "--help" ] || [ "$command" = "-h" ] || exit 2 ;;
esac
