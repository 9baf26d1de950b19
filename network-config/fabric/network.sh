#!/usr/bin/env bash
# Runs the GridLedger Fabric v2.5 network on one machine: three Raft orderers and one peer per member org
# (Org1..Org3), all on 127.0.0.1, and the GridLedger chaincode as a service.
#
#   ./network.sh up [--compose] [--ca]   identities, channel genesis block, orderers, peers, channel joined
#   ./network.sh deploy                  per org: package, install, start its chaincode server, approve; commit
#   ./network.sh down                    stop everything this script started; remove generated state
#
# Native mode (default) runs the Fabric release binaries (peer, orderer, configtxgen, cryptogen, osnadmin
# on PATH; the release's config/ folder and builders/ccaas next to bin/) as background processes, with
# environment overrides of the release's core.yaml / orderer.yaml. --compose runs the same nodes in
# containers (compose/compose.yaml, host network, same ports); the CLI steps still run here.
# --ca issues the identities from Fabric CA servers (fabric-ca/enroll.sh) instead of cryptogen: it needs Fabric CA 1.5
# (fabric-ca-server and fabric-ca-client on PATH). ./network.sh help prints the usage.
#
# Environment: FABRIC_CFG_PATH (folder with core.yaml and orderer.yaml), FABRIC_CCAAS_BUILDER (folder with
# bin/detect, bin/build, bin/release), COMPOSE (e.g. "podman compose"), GRIDLEDGER_FABRIC_TIMEOUT (seconds
# to wait for each readiness condition, default 120).
set -euo pipefail

FABRIC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$FABRIC_DIR/../.." && pwd)
ORGS_DIR=$FABRIC_DIR/organizations
RUN_DIR=$FABRIC_DIR/run
LOG_DIR=$RUN_DIR/logs
PID_DIR=$RUN_DIR/pids
CHANNEL=gridledger
CHANNEL_BLOCK=$RUN_DIR/channel/$CHANNEL.block
ORDERER_DOMAIN=gridledger.example
ORDERER_MSP=OrdererMSP
ORDERERS=(orderer1 orderer2 orderer3)
PEER_ORGS=(Org1 Org2 Org3)
TIMEOUT=${GRIDLEDGER_FABRIC_TIMEOUT:-120}
COMPOSE_FILE=$FABRIC_DIR/compose/compose.yaml
DEFINITION=$FABRIC_DIR/chaincode/definition.yaml

# --- ports ------------------------------------------------------------------------------------------------
# orderer N (1..3): gRPC (clients and Raft) 6050+1000N, admin (channel participation) 6053+1000N,
# operations 9442+N.  peer0 of OrgN: gRPC 6051+1000N, chaincode 6052+1000N, operations 9445+N.
orderer_index() { echo "${1#orderer}"; }
orderer_port() { echo $((6050 + 1000 * $(orderer_index "$1"))); }
orderer_admin_port() { echo $((6053 + 1000 * $(orderer_index "$1"))); }
orderer_ops_port() { echo $((9442 + $(orderer_index "$1"))); }
org_index() { echo "${1#Org}"; }
peer_port() { echo $((6051 + 1000 * $(org_index "$1"))); }
peer_cc_port() { echo $((6052 + 1000 * $(org_index "$1"))); }
peer_ops_port() { echo $((9445 + $(org_index "$1"))); }

# --- names and paths (cryptogen layout) ---------------------------------------------------------------------
org_domain() { echo "$(tr '[:upper:]' '[:lower:]' <<<"$1").gridledger.example"; }
org_msp() { echo "${1}MSP"; }
peer_name() { echo "peer0.$(org_domain "$1")"; }
org_dir() { echo "$ORGS_DIR/peerOrganizations/$(org_domain "$1")"; }
peer_dir() { echo "$(org_dir "$1")/peers/$(peer_name "$1")"; }
org_admin_msp() { echo "$(org_dir "$1")/users/Admin@$(org_domain "$1")/msp"; }
orderer_org_dir() { echo "$ORGS_DIR/ordererOrganizations/$ORDERER_DOMAIN"; }
orderer_dir() { echo "$(orderer_org_dir)/orderers/$1.$ORDERER_DOMAIN"; }
orderer_tls_ca() { echo "$(orderer_org_dir)/tlsca/tlsca.$ORDERER_DOMAIN-cert.pem"; }
orderer_admin_tls() { echo "$(orderer_org_dir)/users/Admin@$ORDERER_DOMAIN/tls"; }

log() { printf '==> %s\n' "$*"; }
die() { printf 'network.sh: %s\n' "$*" >&2; exit 1; }

# usage [EXIT_CODE]: the usage text, on stdout when asked for (exit 0), on stderr after wrong usage (exit 2).
usage() {
  local code=${1:-0}
  local text
  text=$(
    cat <<'EOF'
Usage: ./network.sh COMMAND [OPTIONS]

Runs the GridLedger Fabric v2.5 network on this machine (127.0.0.1): three Raft orderers, one peer per member
org (Org1..Org3) on channel gridledger, and each org's GridLedger chaincode server (chaincode as a service).

Commands:
  up [--compose] [--ca]  issue identities, create the channel's genesis block, start the orderers and peers,
                         join them to the channel and wait for a Raft leader and gossip membership
      --compose          run the orderers and peers (and CAs) in containers (compose/compose.yaml, host network)
      --ca               issue the identities from Fabric CA servers instead of cryptogen
                         (needs fabric-ca-server and fabric-ca-client on PATH, or only the client with --compose)
  deploy                 per org: package, install, start its chaincode server, approve; then commit.
                         On a deployed network it does only what is missing (nothing if all is in place)
  down                   stop everything this script started; remove organizations/ and run/
  help, -h, --help       this text

Prerequisites: the Fabric v2.5 release's bin/ on PATH (peer orderer configtxgen cryptogen osnadmin), its config/
and builders/ccaas next to bin/; openssl, GNU tar, Java 17. Every port a step needs is checked before the step.

Environment: FABRIC_CFG_PATH (folder with core.yaml and orderer.yaml), FABRIC_CCAAS_BUILDER (folder with
bin/detect, bin/build, bin/release), COMPOSE (e.g. "podman compose"), GRIDLEDGER_FABRIC_TIMEOUT (seconds to wait
for each readiness condition, default 120).

Logs: run/logs (a failed up stops what it started and keeps only run/logs). More: README.md next to this script.
EOF
  )
  if ((code == 0)); then printf '%s\n' "$text"; else printf '%s\n' "$text" >&2; fi
  exit "$code"
}

# wrong_usage MESSAGE: the message and the usage text on stderr, exit code 2.
wrong_usage() {
  printf 'network.sh: %s\n\n' "$*" >&2
  usage 2
}

# --- preflight ------------------------------------------------------------------------------------------------
require_commands() {
  local missing=() c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if ((${#missing[@]})); then
    die "not on PATH: ${missing[*]}. Install the Fabric v2.5 release (bin/, config/, builders/) and put its bin/ on PATH: https://hyperledger-fabric.readthedocs.io/en/release-2.5/install.html"
  fi
}

# The release's config/ (core.yaml, orderer.yaml) and builders/ccaas live next to its bin/.
locate_fabric_release() {
  local bin_dir
  bin_dir=$(dirname "$(command -v peer)")
  FABRIC_BASE_CFG=${FABRIC_CFG_PATH:-$bin_dir/../config}
  [[ -f $FABRIC_BASE_CFG/core.yaml ]] || die "no core.yaml in $FABRIC_BASE_CFG: set FABRIC_CFG_PATH to the Fabric release's config folder"
  CCAAS_BUILDER=${FABRIC_CCAAS_BUILDER:-$bin_dir/../builders/ccaas}
  FABRIC_BASE_CFG=$(cd "$FABRIC_BASE_CFG" && pwd)
}

locate_native_release() {
  locate_fabric_release
  [[ -f $FABRIC_BASE_CFG/orderer.yaml ]] || die "no orderer.yaml in $FABRIC_BASE_CFG: set FABRIC_CFG_PATH to the Fabric release's config folder"
  local script
  for script in detect build release; do
    [[ -x $CCAAS_BUILDER/bin/$script ]] || die "no ccaas external builder at $CCAAS_BUILDER (bin/$script): set FABRIC_CCAAS_BUILDER"
  done
  CCAAS_BUILDER=$(cd "$CCAAS_BUILDER" && pwd)
}

compose_cmd() {
  if [[ -n ${COMPOSE:-} ]]; then
    read -r -a COMPOSE_CMD <<<"$COMPOSE"
  elif docker compose version >/dev/null 2>&1; then
    COMPOSE_CMD=(docker compose)
  elif podman compose version >/dev/null 2>&1; then
    COMPOSE_CMD=(podman compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE_CMD=(docker-compose)
  else
    die "--compose needs 'docker compose', 'podman compose' or docker-compose (or set COMPOSE)"
  fi
}

compose() { "${COMPOSE_CMD[@]}" -p gridledger-fabric -f "$COMPOSE_FILE" --project-directory "$FABRIC_DIR/compose" "$@"; }

mode() { cat "$RUN_DIR/mode" 2>/dev/null || echo native; }

# --- chaincode definition (one "Key: value" per line) ---------------------------------------------------------
definition_or_empty() {
  sed -n "s/^${1//./\\.}:[[:space:]]*//p" "$DEFINITION" | head -n 1 | sed 's/[[:space:]]*$//; s/^"\(.*\)"$/\1/'
}

definition() {
  local value
  value=$(definition_or_empty "$1")
  [[ -n $value ]] || die "$DEFINITION has no $1"
  printf '%s' "$value"
}

# --- processes ---------------------------------------------------------------------------------------------------
# start_process NAME ENV_ARRAY COMMAND [ARGS...]: runs COMMAND in the background from the repository root,
# with the environment overrides held in the array named ENV_ARRAY; output in logs/NAME.log, pid in
# pids/NAME.pid.
start_process() {
  local name=$1
  local -n env_overrides=$2
  shift 2
  mkdir -p "$LOG_DIR" "$PID_DIR"
  (cd "$REPO_ROOT" && exec env "${env_overrides[@]}" nohup "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null) &
  echo $! >"$PID_DIR/$name.pid"
}

# A pid file's process, if it still runs (and is not a recycled pid of some other program).
live_pid() {
  local file=$1 pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  kill -0 "$pid" 2>/dev/null || return 1
  [[ $(ps -p "$pid" -o args= 2>/dev/null) =~ (peer|orderer|java|fabric-ca-server) ]] || return 1
  echo "$pid"
}

# Stops every process with a pid file: all are sent SIGTERM first, then each gets up to 10 s before SIGKILL.
stop_processes() {
  local file pid pids=() waited
  for file in "$PID_DIR"/*.pid; do
    [[ -e $file ]] || continue
    if pid=$(live_pid "$file"); then
      log "stopping $(basename "$file" .pid) (pid $pid)"
      kill "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
    rm -f "$file"
  done
  for pid in "${pids[@]}"; do
    waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 20)); do
      sleep 0.5
      waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  done
}

# The log of a node, whichever way it runs.
node_log() {
  if [[ $(mode) == compose ]]; then
    compose logs --no-color "$1" 2>/dev/null || true
  else
    cat "$LOG_DIR/$1.log" 2>/dev/null || true
  fi
}

# wait_until DESCRIPTION COMMAND...: polls COMMAND every second until it succeeds or TIMEOUT passes.
wait_until() {
  local description=$1 deadline=$((SECONDS + TIMEOUT))
  shift
  local dead
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${TIMEOUT}s waiting for $description (logs: $LOG_DIR, or compose logs)"
    dead=$(dead_nodes)
    [[ -z $dead ]] || die "while waiting for $description: ${dead//$'\n'/; } (logs: $LOG_DIR)"
    sleep 1
  done
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# --- ports in use ---------------------------------------------------------------------------------------------
# A node that cannot bind its port dies at once, but another process's listener on that port would pass every
# readiness check that follows: so each step checks first that the ports it needs are free, and names who holds them.

# port_in_use PORT: something listens on TCP PORT, on any local address.
port_in_use() {
  local port=$1 hex
  if [[ -r /proc/net/tcp ]]; then
    hex=$(printf '%04X' "$port")
    awk -v port="$hex" '$4 == "0A" { n = split($2, a, ":"); if (a[n] == port) found = 1 } END { exit !found }' \
      /proc/net/tcp /proc/net/tcp6 2>/dev/null
  else
    port_open 127.0.0.1 "$port"
  fi
}

# port_pids PORT: the pids of the processes listening on TCP PORT, one a line (ss, else lsof, else /proc).
port_pids() {
  local port=$1 hex inode
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP -t -iTCP:"$port" -sTCP:LISTEN 2>/dev/null | sort -u
  elif [[ -r /proc/net/tcp ]]; then
    hex=$(printf '%04X' "$port")
    awk -v port="$hex" '$4 == "0A" { n = split($2, a, ":"); if (a[n] == port) print $10 }' \
      /proc/net/tcp /proc/net/tcp6 2>/dev/null |
      while read -r inode; do
        find /proc/[0-9]*/fd -maxdepth 1 -lname "socket:\[$inode\]" 2>/dev/null | cut -d/ -f3
      done | sort -u
  fi
}

# port_holders PORT: "pid 123 (java -jar …)" for each process listening on PORT.
port_holders() {
  local pid args holders=()
  while read -r pid; do
    [[ -n $pid ]] || continue
    args=$(ps -p "$pid" -o args= 2>/dev/null | cut -c1-100) || args=
    holders+=("pid $pid (${args:-exited})")
  done < <(port_pids "$1")
  if ((${#holders[@]})); then
    local IFS=,
    printf '%s' "${holders[*]}"
  else
    printf 'a process this user cannot see (try: sudo ss -ltnp "sport = :%s")' "$1"
  fi
}

# require_free_ports STEP "PORT WHAT"...: fails at once, naming every port in use, what needs it and who holds it.
require_free_ports() {
  local step=$1 entry port busy=()
  shift
  for entry in "$@"; do
    port=${entry%% *}
    port_in_use "$port" || continue
    busy+=("  port $port (${entry#* }) is held by $(port_holders "$port")")
  done
  ((${#busy[@]} == 0)) && return 0
  printf 'network.sh: %s needs ports that are in use:\n' "$step" >&2
  printf '%s\n' "${busy[@]}" >&2
  printf 'Stop those processes (or run ./network.sh down if they are a network this script started) and retry.\n' >&2
  exit 1
}

# The ports `up` binds: every orderer's and peer's, and the CA servers' with --ca.
up_ports() {
  local use_ca=$1 o org
  for o in "${ORDERERS[@]}"; do
    echo "$(orderer_port "$o") $o gRPC"
    echo "$(orderer_admin_port "$o") $o admin"
    echo "$(orderer_ops_port "$o") $o operations"
  done
  for org in "${PEER_ORGS[@]}"; do
    echo "$(peer_port "$org") $(peer_name "$org") gRPC"
    echo "$(peer_cc_port "$org") $(peer_name "$org") chaincode"
    echo "$(peer_ops_port "$org") $(peer_name "$org") operations"
  done
  if $use_ca; then
    for org in Orderer "${PEER_ORGS[@]}"; do
      echo "$(ca_port "$org") $(ca_name "$org")"
      echo "$(($(ca_port "$org") + 10000)) $(ca_name "$org") operations"
    done
  fi
}

# Fabric CA servers (as fabric-ca/enroll.sh runs them): ports and names.
ca_port() { case $1 in Orderer) echo 10054 ;; *) echo $((6054 + 1000 * ${1#Org})) ;; esac; }
ca_name() { if [[ $1 == Orderer ]]; then echo ca-orderer; else echo "ca-$(tr '[:upper:]' '[:lower:]' <<<"$1")"; fi; }

# The network's processes that are gone (native mode): "name: last log line" per dead node.
dead_nodes() {
  local file name
  [[ $(mode) == native && -d $PID_DIR ]] || return 0
  for file in "$PID_DIR"/*.pid; do
    [[ -e $file ]] || continue
    name=$(basename "$file" .pid)
    live_pid "$file" >/dev/null || echo "$name exited: $(tail -n 1 "$LOG_DIR/$name.log" 2>/dev/null | cut -c1-300)"
  done
}

# --- identities -----------------------------------------------------------------------------------------------
# cryptogen's certificates name the node (CN and short host name) only; every node here is reached at
# 127.0.0.1, so a working copy of crypto-config.yaml adds localhost and 127.0.0.1 to each node's SANs.
# The shared crypto-config.yaml stays as devnet reads it.
crypto_config_with_local_sans() {
  awk '
    { print }
    /^      - Hostname: / { print "        SANS: [localhost, 127.0.0.1]"; added++ }
    /^    Template:/      { print "      SANS: [localhost, 127.0.0.1]"; added++ }
    END { if (added == 0) exit 1 }
  ' "$FABRIC_DIR/crypto-config.yaml" >"$RUN_DIR/crypto-config.yaml" ||
    die "could not add local SANs to crypto-config.yaml (unexpected layout)"
}

generate_crypto() {
  log "cryptogen: identities of OrdererOrg and ${PEER_ORGS[*]}"
  crypto_config_with_local_sans
  cryptogen generate --config="$RUN_DIR/crypto-config.yaml" --output="$ORGS_DIR" >/dev/null
  issue_provider_identities
}

# provider-nodes.yaml: "OrgN:" then "  - nodeName" lines. Prints "OrgN nodeName" pairs.
provider_nodes() {
  awk '
    /^[[:space:]]*#/ || /^[[:space:]]*$/ { next }
    /^[A-Za-z0-9_-]+:/ { org = $1; sub(/:.*/, "", org); next }
    /^[[:space:]]+-[[:space:]]*/ {
      node = $0
      sub(/^[[:space:]]+-[[:space:]]*/, "", node)
      sub(/[[:space:]]*(#.*)?$/, "", node)
      if (org != "" && node != "") print org, node
    }
  ' "$FABRIC_DIR/provider-nodes.yaml"
}

# A provider node is a client of its org's MSP (node OU "client") whose subject also carries OU=provider.
# cryptogen can't issue it, so it is signed here with the org CA's key, in cryptogen's folder layout.
issue_provider_identity() {
  local org=$1 node=$2 domain dir ca_cert ca_key name msp work serial
  domain=$(org_domain "$org")
  dir=$(org_dir "$org")
  ca_cert=$dir/ca/ca.$domain-cert.pem
  ca_key=$dir/ca/priv_sk
  [[ -f $ca_cert && -f $ca_key ]] || die "no CA of $org at $dir/ca"
  name=$node@$domain
  msp=$dir/users/$name/msp
  mkdir -p "$msp/signcerts" "$msp/keystore" "$msp/cacerts" "$msp/tlscacerts"
  work=$(mktemp -d)
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$msp/keystore/priv_sk" 2>/dev/null
  chmod 600 "$msp/keystore/priv_sk"
  openssl req -new -key "$msp/keystore/priv_sk" -out "$work/csr.pem" \
    -subj "/C=US/ST=California/L=San Francisco/OU=client/OU=provider/CN=$name"
  cat >"$work/ext.cnf" <<'EOF'
[provider]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  serial=0x$(openssl rand -hex 16)
  openssl x509 -req -in "$work/csr.pem" -CA "$ca_cert" -CAkey "$ca_key" -set_serial "$serial" \
    -days 3650 -sha256 -extfile "$work/ext.cnf" -extensions provider \
    -out "$msp/signcerts/$name-cert.pem" 2>/dev/null
  rm -rf "$work"
  openssl verify -CAfile "$ca_cert" "$msp/signcerts/$name-cert.pem" >/dev/null ||
    die "the certificate issued to $name does not verify against $org's CA"
  cp "$ca_cert" "$msp/cacerts/"
  cp "$dir/tlsca/tlsca.$domain-cert.pem" "$msp/tlscacerts/"
  # Same NodeOUs declaration as the org's other local MSPs (it names cacerts/ca.<domain>-cert.pem).
  cp "$dir/msp/config.yaml" "$msp/config.yaml"
}

issue_provider_identities() {
  local org node
  while read -r org node; do
    log "provider node identity $node@$(org_domain "$org") (OU=client, OU=provider)"
    issue_provider_identity "$org" "$node"
  done < <(provider_nodes)
}

generate_channel_block() {
  log "configtxgen: genesis block of channel $CHANNEL (profile GridLedgerChannel)"
  mkdir -p "$(dirname "$CHANNEL_BLOCK")"
  configtxgen -configPath "$FABRIC_DIR" -profile GridLedgerChannel -channelID "$CHANNEL" \
    -outputBlock "$CHANNEL_BLOCK" 2>"$LOG_DIR/configtxgen.log" ||
    { cat "$LOG_DIR/configtxgen.log" >&2; die "configtxgen failed"; }
}

# --- orderers ------------------------------------------------------------------------------------------------
orderer_env() {
  local o=$1 dir tls data
  dir=$(orderer_dir "$o")
  tls=$dir/tls
  data=$RUN_DIR/data/$o.$ORDERER_DOMAIN
  mkdir -p "$data"
  # shellcheck disable=SC2034 # read by start_process through a nameref
  ORDERER_ENV=(
    FABRIC_CFG_PATH="$FABRIC_BASE_CFG"
    FABRIC_LOGGING_SPEC=INFO
    ORDERER_GENERAL_LISTENADDRESS=127.0.0.1
    ORDERER_GENERAL_LISTENPORT="$(orderer_port "$o")"
    ORDERER_GENERAL_LOCALMSPID="$ORDERER_MSP"
    ORDERER_GENERAL_LOCALMSPDIR="$dir/msp"
    ORDERER_GENERAL_BOOTSTRAPMETHOD=none
    ORDERER_GENERAL_TLS_ENABLED=true
    ORDERER_GENERAL_TLS_PRIVATEKEY="$tls/server.key"
    ORDERER_GENERAL_TLS_CERTIFICATE="$tls/server.crt"
    ORDERER_GENERAL_TLS_ROOTCAS="[$tls/ca.crt]"
    ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE="$tls/server.crt"
    ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY="$tls/server.key"
    ORDERER_GENERAL_CLUSTER_ROOTCAS="[$tls/ca.crt]"
    ORDERER_CHANNELPARTICIPATION_ENABLED=true
    ORDERER_FILELEDGER_LOCATION="$data/ledger"
    ORDERER_CONSENSUS_WALDIR="$data/etcdraft/wal"
    ORDERER_CONSENSUS_SNAPDIR="$data/etcdraft/snapshot"
    ORDERER_ADMIN_LISTENADDRESS="127.0.0.1:$(orderer_admin_port "$o")"
    ORDERER_ADMIN_TLS_ENABLED=true
    ORDERER_ADMIN_TLS_PRIVATEKEY="$tls/server.key"
    ORDERER_ADMIN_TLS_CERTIFICATE="$tls/server.crt"
    ORDERER_ADMIN_TLS_ROOTCAS="[$tls/ca.crt]"
    ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
    ORDERER_ADMIN_TLS_CLIENTROOTCAS="[$tls/ca.crt]"
    ORDERER_OPERATIONS_LISTENADDRESS="127.0.0.1:$(orderer_ops_port "$o")"
  )
}

start_orderers() {
  local o
  for o in "${ORDERERS[@]}"; do
    log "starting $o.$ORDERER_DOMAIN on 127.0.0.1:$(orderer_port "$o") (admin $(orderer_admin_port "$o"))"
    orderer_env "$o"
    start_process "$o.$ORDERER_DOMAIN" ORDERER_ENV orderer
  done
}

osnadmin_as_admin() {
  local o=$1
  shift
  osnadmin "$@" -o "127.0.0.1:$(orderer_admin_port "$o")" --ca-file "$(orderer_tls_ca)" \
    --client-cert "$(orderer_admin_tls)/client.crt" --client-key "$(orderer_admin_tls)/client.key"
}

orderer_channel_active() {
  local out
  out=$(osnadmin_as_admin "$1" channel list --channelID "$CHANNEL" --no-status) || return 1
  grep -Eq '"status":[[:space:]]*"active"' <<<"$out" &&
    grep -Eq '"consensusRelation":[[:space:]]*"consenter"' <<<"$out"
}

orderer_knows_leader() {
  node_log "$1.$ORDERER_DOMAIN" | grep -Eq 'Raft leader changed: [0-9]+ -> [1-9][0-9]*'
}

join_orderers() {
  local o out
  for o in "${ORDERERS[@]}"; do
    wait_until "$o admin endpoint" port_open 127.0.0.1 "$(orderer_admin_port "$o")"
    log "osnadmin channel join: $o -> $CHANNEL"
    out=$(osnadmin_as_admin "$o" channel join --channelID "$CHANNEL" --config-block "$CHANNEL_BLOCK")
    grep -Eq '^Status: (201|405)' <<<"$out" || die "$o did not join $CHANNEL: $out"
  done
  for o in "${ORDERERS[@]}"; do
    wait_until "$o: channel $CHANNEL active with $o as consenter" orderer_channel_active "$o"
    wait_until "$o: a Raft leader for $CHANNEL" orderer_knows_leader "$o"
  done
  log "Raft leader elected on $CHANNEL"
}

# --- peers ------------------------------------------------------------------------------------------------------
peer_env() {
  local org=$1 dir data address
  dir=$(peer_dir "$org")
  data=$RUN_DIR/data/$(peer_name "$org")
  address=127.0.0.1:$(peer_port "$org")
  mkdir -p "$data"
  # shellcheck disable=SC2034 # read by start_process through a nameref
  PEER_ENV=(
    FABRIC_CFG_PATH="$FABRIC_BASE_CFG"
    FABRIC_LOGGING_SPEC=INFO
    CORE_PEER_ID="$(peer_name "$org")"
    CORE_PEER_LOCALMSPID="$(org_msp "$org")"
    CORE_PEER_MSPCONFIGPATH="$dir/msp"
    CORE_PEER_LISTENADDRESS="$address"
    CORE_PEER_ADDRESS="$address"
    CORE_PEER_CHAINCODELISTENADDRESS="127.0.0.1:$(peer_cc_port "$org")"
    CORE_PEER_CHAINCODEADDRESS="127.0.0.1:$(peer_cc_port "$org")"
    CORE_PEER_GOSSIP_BOOTSTRAP="$address"
    CORE_PEER_GOSSIP_EXTERNALENDPOINT="$address"
    CORE_PEER_TLS_ENABLED=true
    CORE_PEER_TLS_CERT_FILE="$dir/tls/server.crt"
    CORE_PEER_TLS_KEY_FILE="$dir/tls/server.key"
    CORE_PEER_TLS_ROOTCERT_FILE="$dir/tls/ca.crt"
    CORE_PEER_GATEWAY_ENABLED=true
    CORE_PEER_FILESYSTEMPATH="$data"
    CORE_LEDGER_SNAPSHOTS_ROOTDIR="$data/snapshots"
    CORE_OPERATIONS_LISTENADDRESS="127.0.0.1:$(peer_ops_port "$org")"
    # The peer parses this YAML list like core.yaml's chaincode.externalBuilders.
    CORE_CHAINCODE_EXTERNALBUILDERS="[{name: ccaas_builder, path: $CCAAS_BUILDER, propagateEnvironment: [CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG]}]"
  )
}

start_peers() {
  local org
  for org in "${PEER_ORGS[@]}"; do
    log "starting $(peer_name "$org") ($(org_msp "$org")) on 127.0.0.1:$(peer_port "$org")"
    peer_env "$org"
    start_process "$(peer_name "$org")" PEER_ENV peer node start
  done
}

# peer_as_admin ORG ARGS...: the peer CLI as ORG's admin, talking to ORG's peer.
peer_as_admin() {
  local org=$1
  shift
  env FABRIC_CFG_PATH="$FABRIC_BASE_CFG" FABRIC_LOGGING_SPEC=WARN \
    CORE_PEER_LOCALMSPID="$(org_msp "$org")" \
    CORE_PEER_MSPCONFIGPATH="$(org_admin_msp "$org")" \
    CORE_PEER_ADDRESS="127.0.0.1:$(peer_port "$org")" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_PEER_TLS_ROOTCERT_FILE="$(peer_dir "$org")/tls/ca.crt" \
    peer "$@"
}

peer_on_channel() { peer_as_admin "$1" channel getinfo -c "$CHANNEL"; }

# The peer's latest gossip view of the channel lists the peers of every other org.
peer_sees_all() {
  local org=$1 view other
  view=$(node_log "$(peer_name "$org")" | grep -F "[$CHANNEL] Membership view has changed" | tail -n 1 |
    sed 's/.*current view://')
  [[ -n $view ]] || return 1
  for other in "${PEER_ORGS[@]}"; do
    [[ $other == "$org" ]] && continue
    grep -Fq "127.0.0.1:$(peer_port "$other")" <<<"$view" || return 1
  done
}

join_peers() {
  local org
  for org in "${PEER_ORGS[@]}"; do
    wait_until "$(peer_name "$org")" port_open 127.0.0.1 "$(peer_port "$org")"
    if ! peer_on_channel "$org" >/dev/null 2>&1; then
      log "peer channel join: $(peer_name "$org") -> $CHANNEL"
      wait_until "$(peer_name "$org") to join $CHANNEL" peer_as_admin "$org" channel join -b "$CHANNEL_BLOCK"
    fi
  done
  for org in "${PEER_ORGS[@]}"; do
    wait_until "$(peer_name "$org") on $CHANNEL" peer_on_channel "$org"
    wait_until "gossip: $(peer_name "$org") sees the peers of the other orgs" peer_sees_all "$org"
  done
  log "gossip membership complete on $CHANNEL"
}

# --- chaincode ---------------------------------------------------------------------------------------------------
# Each member org runs its own chaincode server and installs its own ccaas package, whose connection.json names that
# server (Address.<MSP ID> in definition.yaml): so each org's package ID differs, and each org approves the
# definition with its own. Whoever runs a chaincode server decides the endorsements of the peers that dial it.
CC_DIR=$FABRIC_DIR/chaincode

json_string() { grep -o "\"$1\"[[:space:]]*:[[:space:]]*\"[^\"]*\"" "$2" | sed 's/.*"\([^"]*\)"$/\1/'; }

# The address of ORG's chaincode server: Address.<MSP ID>, else Address (one server for every org).
chaincode_address() {
  local address
  address=$(definition_or_empty "Address.$(org_msp "$1")")
  [[ -n $address ]] || address=$(definition_or_empty Address)
  [[ $address =~ ^[^:]+:[0-9]+$ ]] || die "$DEFINITION names no chaincode server (host:port) for $(org_msp "$1"): add Address.$(org_msp "$1")"
  printf '%s' "$address"
}

chaincode_run_dir() { echo "$RUN_DIR/chaincode/$1"; }
chaincode_package() { echo "$(chaincode_run_dir "$1")/gridledger.tar.gz"; }

# ORG's ccaas package: metadata.json and code.tar.gz (holding connection.json, from the template with ORG's server
# address), both in an outer tar.gz. Fixed mtimes and owners make the package, and so its package ID, the same on
# every run.
package_chaincode() {
  local org=$1 name version label work package address
  address=$(chaincode_address "$org")
  name=$(definition Name)
  version=$(definition Version)
  label=$(json_string label "$CC_DIR/metadata.json")
  [[ $label == "${name}_${version}" ]] || die "metadata.json label '$label' is not ${name}_${version} (definition.yaml)"
  [[ $(json_string type "$CC_DIR/metadata.json") == ccaas ]] || die "metadata.json type must be ccaas"
  grep -Fq '"@ADDRESS@"' "$CC_DIR/connection.json" || die "connection.json must have \"address\": \"@ADDRESS@\" (filled in per org)"
  work=$(mktemp -d)
  package=$(chaincode_package "$org")
  mkdir -p "$(dirname "$package")"
  sed "s|@ADDRESS@|$address|" "$CC_DIR/connection.json" >"$work/connection.json"
  local tar_opts=(--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner)
  tar -C "$work" "${tar_opts[@]}" -cf - connection.json | gzip -n >"$work/code.tar.gz"
  cp "$CC_DIR/metadata.json" "$work/metadata.json"
  tar -C "$work" "${tar_opts[@]}" -cf - metadata.json code.tar.gz | gzip -n >"$package"
  rm -rf "$work"
}

policy_flags() {
  local policy
  policy=$(definition EndorsementPolicy)
  POLICY_FLAGS=()
  if [[ $policy == /* ]]; then
    POLICY_FLAGS=(--channel-config-policy "$policy")
  else
    POLICY_FLAGS=(--signature-policy "$policy")
  fi
  if [[ $(definition InitRequired) == true ]]; then
    POLICY_FLAGS+=(--init-required)
  fi
}

orderer_flags() { ORDERER_FLAGS=(-o "127.0.0.1:$(orderer_port orderer1)" --tls --cafile "$(orderer_tls_ca)"); }

commit_ready() {
  local out org
  out=$(peer_as_admin Org1 lifecycle chaincode checkcommitreadiness --channelID "$CHANNEL" \
    --name "$(definition Name)" --version "$(definition Version)" --sequence "$(definition Sequence)" \
    "${POLICY_FLAGS[@]}" --output json) || return 1
  for org in "${PEER_ORGS[@]}"; do
    grep -Eq "\"$(org_msp "$org")\":[[:space:]]*true" <<<"$out" || return 1
  done
}

# The readiness check: a query any deployed chaincode answers, InitLedger or not (the shim's system contract).
chaincode_answers() {
  peer_as_admin "$1" chaincode query -C "$CHANNEL" -n "$(definition Name)" \
    -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}'
}

chaincode_jar() {
  local jar=$REPO_ROOT/chaincode/target/gridledger-chaincode.jar
  if [[ ! -f $jar ]]; then
    command -v mvn >/dev/null 2>&1 || die "no $jar and no mvn to build it"
    log "building the chaincode jar"
    (cd "$REPO_ROOT" && mvn -q -B -pl chaincode -am package -DskipTests) >&2
  fi
  echo "$jar"
}

chaincode_process_name() { echo "chaincode-$(tr '[:upper:]' '[:lower:]' <<<"$1")"; }

# The package ID ORG's running chaincode server registers as (written when it starts), if it runs.
running_server_package() {
  local org=$1 file
  file=$(chaincode_run_dir "$org")/server-package-id
  [[ -f $file ]] || return 1
  if [[ $(mode) == compose ]]; then
    [[ -n $(compose ps -q "gridledger-$(chaincode_process_name "$org")" 2>/dev/null) ]] || return 1
  else
    live_pid "$PID_DIR/$(chaincode_process_name "$org").pid" >/dev/null || return 1
  fi
  cat "$file"
}

# ORG's chaincode server listens, as the process this script started (not some other listener on its port).
chaincode_server_listens() {
  local org=$1 pid=$2 address=$3 pids
  port_open "${address%:*}" "${address##*:}" || return 1
  [[ -n $pid ]] || return 0
  pids=$(port_pids "${address##*:}")
  [[ -z $pids ]] || grep -qx "$pid" <<<"$pids"
}

# start_chaincode ORG PACKAGE_ID: ORG's chaincode server, registering as ORG's package ID, with ORG's MSP ID as
# CORE_PEER_LOCALMSPID (stub.getMspId() in the chaincode). A server of ORG that runs with another package ID is
# stopped first.
start_chaincode() {
  local org=$1 package_id=$2 address jar pid='' name service
  address=$(chaincode_address "$org")
  name=$(chaincode_process_name "$org")
  if [[ $(mode) == compose ]]; then
    service=gridledger-$name
    log "starting the $service container for $(org_msp "$org") ($address, $package_id)"
    chaincode_jar >/dev/null
    (
      export "GRIDLEDGER_CHAINCODE_ID_${org^^}=$package_id" "GRIDLEDGER_CHAINCODE_ADDRESS_${org^^}=$address"
      compose --profile chaincode up -d --build "$service"
    )
  else
    jar=$(chaincode_jar)
    log "starting the chaincode server of $(org_msp "$org") on $address ($package_id)"
    # shellcheck disable=SC2034 # used by start_process through a nameref
    local chaincode_env=(CHAINCODE_SERVER_ADDRESS="$address" CORE_CHAINCODE_ID_NAME="$package_id"
      CORE_PEER_LOCALMSPID="$(org_msp "$org")")
    start_process "$name" chaincode_env java -jar "$jar"
    pid=$(<"$PID_DIR/$name.pid")
  fi
  echo "$package_id" >"$(chaincode_run_dir "$org")/server-package-id"
  wait_until "the chaincode server of $(org_msp "$org") to listen on $address" chaincode_server_listens "$org" "$pid" "$address"
}

stop_chaincode() {
  local org=$1 name pid
  name=$(chaincode_process_name "$org")
  rm -f "$(chaincode_run_dir "$org")/server-package-id"
  if [[ $(mode) == compose ]]; then
    compose --profile chaincode stop "gridledger-$name" >/dev/null 2>&1 || true
  elif pid=$(live_pid "$PID_DIR/$name.pid"); then
    log "stopping the chaincode server of $(org_msp "$org") (pid $pid): it runs another package"
    rm -f "$PID_DIR/$name.pid"
    kill "$pid"
    wait_until "the previous chaincode server of $(org_msp "$org") to stop" bash -c "! kill -0 $pid"
  else
    rm -f "$PID_DIR/$name.pid"
  fi
}

# The committed definition of the chaincode: "SEQUENCE VERSION", nothing if none is committed.
committed_definition() {
  local out
  if ! out=$(peer_as_admin Org1 lifecycle chaincode querycommitted --channelID "$CHANNEL" --name "$(definition Name)" \
    --output json 2>&1); then
    grep -Eq 'status: 404|not defined|not found' <<<"$out" && return 0
    die "cannot read the committed definition of $(definition Name) from $(peer_name Org1): $out"
  fi
  printf '%s %s\n' "$(grep -o '"sequence":[[:space:]]*[0-9]*' <<<"$out" | grep -o '[0-9]*$')" \
    "$(grep -o '"version":[[:space:]]*"[^"]*"' <<<"$out" | sed 's/.*"\([^"]*\)"$/\1/')"
}

# The package ID ORG approved for SEQUENCE, nothing if it approved none.
approved_package() {
  local org=$1 sequence=$2 out
  out=$(peer_as_admin "$org" lifecycle chaincode queryapproved --channelID "$CHANNEL" --name "$(definition Name)" \
    --sequence "$sequence" --output json 2>/dev/null) || return 0
  grep -o '"package_id":[[:space:]]*"[^"]*"' <<<"$out" | sed 's/.*"\([^"]*\)"$/\1/'
}

# The chaincode server addresses that must be free: those of the ORGS given whose host is this machine.
chaincode_ports() {
  local org address host
  for org in "$@"; do
    address=$(chaincode_address "$org")
    host=${address%:*}
    [[ $host =~ ^(127\.[0-9.]+|localhost|0\.0\.0\.0|::1?)$ ]] || continue
    echo "${address##*:} chaincode server of $(org_msp "$org") ($address)"
  done
}

# The network answers: each peer and orderer1 listen (deploy needs nothing else).
require_network_running() {
  local org down=()
  port_open 127.0.0.1 "$(orderer_port orderer1)" || down+=("orderer1.$ORDERER_DOMAIN (:$(orderer_port orderer1))")
  for org in "${PEER_ORGS[@]}"; do
    port_open 127.0.0.1 "$(peer_port "$org")" || down+=("$(peer_name "$org") (:$(peer_port "$org"))")
  done
  ((${#down[@]} == 0)) || die "the network is not running: nothing answers at ${down[*]}. Run ./network.sh down, then up"
}

# Idempotent: what is already in place (installed package, running server with this package, the org's approval
# of this sequence with this package, the committed definition) is left as it is. A definition.yaml whose Sequence
# is the committed one + 1 upgrades the chaincode.
deploy() {
  local org package_id name version sequence committed committed_sequence committed_version peers=() restart=()
  local changed=false
  local -A package_ids=()
  [[ -f $CHANNEL_BLOCK ]] || die "the network is not up: run ./network.sh up first"
  require_network_running
  name=$(definition Name)
  version=$(definition Version)
  sequence=$(definition Sequence)
  policy_flags
  orderer_flags

  committed=$(committed_definition)
  read -r committed_sequence committed_version <<<"${committed:-0 -}"
  if ((committed_sequence > sequence)); then
    die "sequence $committed_sequence of $name is committed on $CHANNEL, but chaincode/definition.yaml asks for sequence $sequence: to upgrade, set Sequence: $((committed_sequence + 1)) (and a new Version)"
  fi
  if ((committed_sequence == sequence)) && [[ $committed_version != "$version" ]]; then
    die "sequence $sequence of $name is committed with version $committed_version, chaincode/definition.yaml has version $version: to upgrade, set Sequence: $((sequence + 1))"
  fi
  if ((committed_sequence == sequence)); then
    log "$name $version sequence $sequence is already committed on $CHANNEL: checking each org's part"
  elif ((committed_sequence > 0)); then
    log "upgrading $name from sequence $committed_sequence ($committed_version) to $sequence ($version)"
  fi

  for org in "${PEER_ORGS[@]}"; do
    package_chaincode "$org"
    package_id=$(peer_as_admin "$org" lifecycle chaincode calculatepackageid "$(chaincode_package "$org")")
    package_ids[$org]=$package_id
    echo "$package_id" >"$(chaincode_run_dir "$org")/package-id"
    if [[ $(running_server_package "$org" || true) != "$package_id" ]]; then restart+=("$org"); fi
  done
  if ((${#restart[@]})); then
    local ports=()
    mapfile -t ports < <(chaincode_ports "${restart[@]}")
    # A server of ours that runs another package is stopped before its port is checked.
    for org in "${restart[@]}"; do stop_chaincode "$org"; done
    require_free_ports deploy "${ports[@]}"
  fi

  for org in "${PEER_ORGS[@]}"; do
    package_id=${package_ids[$org]}
    log "chaincode package of $(org_msp "$org") (server $(chaincode_address "$org")): $package_id"
    if peer_as_admin "$org" lifecycle chaincode queryinstalled --output json | grep -Fq "\"$package_id\""; then
      log "already installed on $(peer_name "$org")"
    else
      log "installing on $(peer_name "$org")"
      peer_as_admin "$org" lifecycle chaincode install "$(chaincode_package "$org")"
      changed=true
    fi
  done
  for org in "${restart[@]}"; do
    start_chaincode "$org" "${package_ids[$org]}"
    changed=true
  done
  for org in "${PEER_ORGS[@]}"; do
    [[ " ${restart[*]} " == *" $org "* ]] || log "the chaincode server of $(org_msp "$org") already runs ${package_ids[$org]}"
  done

  for org in "${PEER_ORGS[@]}"; do
    if [[ $(approved_package "$org" "$sequence") == "${package_ids[$org]}" ]]; then
      log "$(org_msp "$org") already approved $name sequence $sequence with its package"
      continue
    fi
    log "approving $name $version sequence $sequence for $(org_msp "$org") with its package ${package_ids[$org]}"
    peer_as_admin "$org" lifecycle chaincode approveformyorg "${ORDERER_FLAGS[@]}" --channelID "$CHANNEL" \
      --name "$name" --version "$version" --sequence "$sequence" --package-id "${package_ids[$org]}" "${POLICY_FLAGS[@]}"
    changed=true
  done
  if ((committed_sequence < sequence)); then
    changed=true
    wait_until "approvals of every org (checkcommitreadiness)" commit_ready
    for org in "${PEER_ORGS[@]}"; do
      peers+=(--peerAddresses "127.0.0.1:$(peer_port "$org")" --tlsRootCertFiles "$(peer_dir "$org")/tls/ca.crt")
    done
    log "committing $name $version sequence $sequence on $CHANNEL"
    peer_as_admin Org1 lifecycle chaincode commit "${ORDERER_FLAGS[@]}" --channelID "$CHANNEL" \
      --name "$name" --version "$version" --sequence "$sequence" "${POLICY_FLAGS[@]}" "${peers[@]}"
  fi
  for org in "${PEER_ORGS[@]}"; do
    log "waiting until $name answers on $(peer_name "$org") (query org.hyperledger.fabric:GetMetadata)"
    wait_until "$name to answer on $(peer_name "$org")" chaincode_answers "$org"
  done
  echo "$sequence" >"$RUN_DIR/chaincode/committed-sequence"
  $changed || log "$name $version sequence $sequence was already deployed and running: nothing to do"
  report_ledger_state
  print_endpoints
}

# Whether the consortium's ledger is initialised: GetParameters answers NOT_INITIALIZED until InitLedger.
report_ledger_state() {
  local out
  if out=$(peer_as_admin Org1 chaincode query -C "$CHANNEL" -n "$(definition Name)" -c '{"Args":["GetParameters"]}' 2>&1); then
    log "chaincode ready; ledger initialised. Parameters (GetParameters on $(peer_name Org1)): $out"
  elif grep -q NOT_INITIALIZED <<<"$out"; then
    log "chaincode ready; ledger not initialised yet (InitLedger pending): admins of a majority of the orgs call InitLedger with the same parameters (chaincode/README.md)"
  else
    log "chaincode ready, but GetParameters on $(peer_name Org1) failed: $out"
  fi
}

# --- up / down ----------------------------------------------------------------------------------------------------
print_endpoints() {
  local o org
  echo
  echo "GridLedger Fabric network (channel $CHANNEL), all on 127.0.0.1:"
  for o in "${ORDERERS[@]}"; do
    printf '  %-32s grpcs :%s  admin :%s  operations :%s\n' "$o.$ORDERER_DOMAIN" \
      "$(orderer_port "$o")" "$(orderer_admin_port "$o")" "$(orderer_ops_port "$o")"
  done
  for org in "${PEER_ORGS[@]}"; do
    printf '  %-32s grpcs :%s  chaincode :%s  operations :%s  (%s, gateway)\n' "$(peer_name "$org")" \
      "$(peer_port "$org")" "$(peer_cc_port "$org")" "$(peer_ops_port "$org")" "$(org_msp "$org")"
  done
  if [[ $(cat "$RUN_DIR/identities" 2>/dev/null) == fabric-ca ]]; then
    for org in Orderer "${PEER_ORGS[@]}"; do
      printf '  %-32s https :%s  operations :%s  (Fabric CA, name %s)\n' "ca.$(if [[ $org == Orderer ]]; then echo "$ORDERER_DOMAIN"; else org_domain "$org"; fi)" \
        "$(ca_port "$org")" "$(($(ca_port "$org") + 10000))" "$(ca_name "$org")"
    done
  fi
  if [[ -f $RUN_DIR/chaincode/committed-sequence ]]; then
    for org in "${PEER_ORGS[@]}"; do
      printf '  %-32s grpc  %s  (%s, its package: %s)\n' "chaincode $(definition Name) of $org" "$(chaincode_address "$org")" \
        "$(org_msp "$org")" "$(cat "$(chaincode_run_dir "$org")/package-id")"
    done
  else
    echo "  chaincode $(definition Name): not deployed yet (./network.sh deploy)"
  fi
  echo "Identities: $ORGS_DIR ($(cat "$RUN_DIR/identities" 2>/dev/null || echo cryptogen))   Connection profiles: $FABRIC_DIR/connection-profiles"
  echo "Logs: $(if [[ $(mode) == compose ]]; then echo "${COMPOSE_CMD[*]} -f $COMPOSE_FILE logs"; else echo "$LOG_DIR"; fi)"
}

up() {
  local use_compose=false use_ca=false arg
  for arg in "$@"; do
    case $arg in
      --compose) use_compose=true ;;
      --ca) use_ca=true ;;
      *) wrong_usage "unknown option of up: $arg" ;;
    esac
  done
  refuse_existing_network
  if $use_compose; then
    require_commands peer configtxgen cryptogen osnadmin openssl
    locate_fabric_release
    compose_cmd
  else
    require_commands peer orderer configtxgen cryptogen osnadmin openssl
    locate_native_release
  fi
  if $use_ca; then
    if $use_compose; then require_ca_commands fabric-ca-client; else require_ca_commands fabric-ca-server fabric-ca-client; fi
  fi
  local ports=()
  mapfile -t ports < <(up_ports "$use_ca")
  require_free_ports up "${ports[@]}"

  # Logs of an earlier failed up are all a run/ without a mode file holds.
  rm -rf "$RUN_DIR"
  mkdir -p "$LOG_DIR" "$PID_DIR"
  trap 'up_failed' EXIT
  trap 'exit 130' INT TERM
  if $use_compose; then echo compose >"$RUN_DIR/mode"; else echo native >"$RUN_DIR/mode"; fi
  if $use_ca; then echo fabric-ca >"$RUN_DIR/identities"; else echo cryptogen >"$RUN_DIR/identities"; fi

  if $use_ca; then
    # The CA servers keep their state (and write ca-cert.pem) in organizations/fabric-ca/<org>.
    mkdir -p "$ORGS_DIR"/fabric-ca/{orderer,org1,org2,org3}
    if $use_compose; then
      compose --profile ca up -d ca.orderer.gridledger.example ca.org1.gridledger.example \
        ca.org2.gridledger.example ca.org3.gridledger.example
      "$FABRIC_DIR/fabric-ca/enroll.sh" enroll
    else
      "$FABRIC_DIR/fabric-ca/enroll.sh" start
      "$FABRIC_DIR/fabric-ca/enroll.sh" enroll
    fi
  else
    generate_crypto
  fi
  generate_channel_block

  if $use_compose; then
    log "starting orderers and peers with ${COMPOSE_CMD[*]}"
    compose up -d
  else
    start_orderers
    start_peers
  fi
  join_orderers
  join_peers
  trap - EXIT INT TERM
  print_endpoints
}

# A network exists here once up wrote run/mode; only down removes it.
refuse_existing_network() {
  [[ -f $RUN_DIR/mode ]] || return 0
  local file live=0
  for file in "$PID_DIR"/*.pid; do
    [[ -e $file ]] || continue
    if live_pid "$file" >/dev/null; then live=$((live + 1)); fi
  done
  if ((live > 0)) || [[ $(mode) == compose ]]; then
    die "a network is already up here ($RUN_DIR): run ./network.sh down first"
  fi
  die "a network was started here but none of its processes runs any more ($RUN_DIR is stale): run ./network.sh down to clean up, then up"
}

require_ca_commands() {
  local missing=() c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  ((${#missing[@]} == 0)) ||
    die "--ca needs Fabric CA 1.5 on PATH; missing: ${missing[*]}. Install the Fabric CA release (https://hyperledger-fabric-ca.readthedocs.io/en/release-1.5/users-guide.html#fabric-ca-server-and-client-binaries) or run up without --ca (cryptogen)"
}

# On a failed or interrupted up: stop what it started and remove what it created, keeping only run/logs, so that
# the next up starts afresh (it removes those logs too).
up_failed() {
  local code=$?
  trap - EXIT INT TERM
  set +e
  printf 'network.sh: up failed (exit %s): stopping what it started; the logs stay in %s\n' "$code" "$LOG_DIR" >&2
  if [[ $(mode) == compose ]]; then
    compose --profile ca --profile chaincode down --volumes --remove-orphans >&2
  fi
  stop_processes >&2
  "$FABRIC_DIR/fabric-ca/enroll.sh" stop >&2
  rm -rf "$ORGS_DIR"
  find "$RUN_DIR" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} +
  exit "$code"
}

down() {
  if [[ $(mode) == compose ]] || [[ ${1:-} == --compose ]]; then
    compose_cmd
    compose --profile ca --profile chaincode down --volumes --remove-orphans || true
  fi
  stop_processes
  if [[ -x $FABRIC_DIR/fabric-ca/enroll.sh ]]; then
    "$FABRIC_DIR/fabric-ca/enroll.sh" stop || true
  fi
  log "removing $ORGS_DIR and $RUN_DIR"
  rm -rf "$ORGS_DIR" "$RUN_DIR"
}

main() {
  local command=${1:-}
  [[ -n $command ]] || wrong_usage "no command given"
  shift
  case $command in
    up) up "$@" ;;
    deploy)
      [[ $# -eq 0 ]] || wrong_usage "deploy takes no options: $*"
      require_commands peer osnadmin tar gzip
      locate_fabric_release
      [[ $(mode) != compose ]] || compose_cmd
      [[ $(mode) == compose ]] || require_commands java
      deploy
      ;;
    down)
      [[ $# -eq 0 || ($# -eq 1 && $1 == --compose) ]] || wrong_usage "unknown option of down: $*"
      down "$@"
      ;;
    -h | --help | help) usage 0 ;;
    *) wrong_usage "unknown command: $command" ;;
  esac
}

main "$@"
