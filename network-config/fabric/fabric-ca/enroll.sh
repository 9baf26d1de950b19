#!/usr/bin/env bash
# The Fabric CA way to issue GridLedger's identities, instead of cryptogen: one fabric-ca-server per org
# (it is both the org's enrollment CA and its TLS CA), and the identities registered and enrolled into the
# same folder layout cryptogen writes (organizations/{ordererOrganizations,peerOrganizations}/...), so
# configtx.yaml, network.sh and the connection profiles work unchanged.
#
#   fabric-ca/enroll.sh start    start the four CA servers as local processes (fabric-ca-server on PATH)
#   fabric-ca/enroll.sh enroll   register and enroll every identity (fabric-ca-client on PATH)
#   fabric-ca/enroll.sh stop     stop the CA servers started by "start"
#
# With containers, compose/compose.yaml runs the same servers (profile "ca"); then run only "enroll".
# network.sh up --ca does all of this.
#
#   CA            name        port   operations  home (its ca-cert.pem is the TLS root for clients)
#   OrdererOrg    ca-orderer  10054  20054       organizations/fabric-ca/orderer
#   Org1          ca-org1      7054  17054       organizations/fabric-ca/org1
#   Org2          ca-org2      8054  18054       organizations/fabric-ca/org2
#   Org3          ca-org3      9054  19054       organizations/fabric-ca/org3
#
# Identities: per peer org peer0 (type peer), Admin@<domain> (admin), User1@<domain> (client) and every
# provider node of provider-nodes.yaml as <node>@<domain>: type client, affiliation "provider" (so its
# subject carries OU=client and OU=provider, like the ones network.sh issues with openssl) and the
# attribute gridledger.role=provider in its enrollment certificate. The orderer org gets orderer1..3 and
# Admin@gridledger.example. Secrets are development values (<name>pw; the CA admin's is
# FABRIC_CA_ADMIN_PASSWORD, default adminpw): real members register with their own.
set -euo pipefail

FABRIC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ORGS_DIR=$FABRIC_DIR/organizations
CA_HOMES=$ORGS_DIR/fabric-ca
RUN_DIR=$FABRIC_DIR/run
ADMIN_USER="admin"
ADMIN_PASSWORD=${FABRIC_CA_ADMIN_PASSWORD:-adminpw}
ORDERER_DOMAIN=gridledger.example
PEER_ORGS=(Org1 Org2 Org3)
TIMEOUT=${GRIDLEDGER_FABRIC_TIMEOUT:-120}

log() { printf '==> %s\n' "$*"; }
die() { printf 'enroll.sh: %s\n' "$*" >&2; exit 1; }

# CA key: "orderer", "org1", "org2", "org3".
ca_key() { if [[ $1 == Orderer ]]; then echo orderer; else tr '[:upper:]' '[:lower:]' <<<"$1"; fi; }
ca_port() { case $1 in Orderer) echo 10054 ;; *) echo $((6054 + 1000 * ${1#Org})) ;; esac; }
ca_ops_port() { echo $(($(ca_port "$1") + 10000)); }
ca_name() { echo "ca-$(ca_key "$1")"; }
ca_home() { echo "$CA_HOMES/$(ca_key "$1")"; }
ca_root() { echo "$(ca_home "$1")/ca-cert.pem"; }
domain() { if [[ $1 == Orderer ]]; then echo "$ORDERER_DOMAIN"; else echo "$(ca_key "$1").gridledger.example"; fi; }
org_dir() {
  if [[ $1 == Orderer ]]; then echo "$ORGS_DIR/ordererOrganizations/$ORDERER_DOMAIN"
  else echo "$ORGS_DIR/peerOrganizations/$(domain "$1")"; fi
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_ca() {
  local org=$1 deadline=$((SECONDS + TIMEOUT))
  until port_open 127.0.0.1 "$(ca_port "$org")" && [[ -s $(ca_root "$org") ]]; do
    ((SECONDS < deadline)) || die "timed out waiting for $(ca_name "$org") on port $(ca_port "$org")"
    sleep 1
  done
}

start_servers() {
  command -v fabric-ca-server >/dev/null 2>&1 || die "fabric-ca-server is not on PATH (Fabric CA 1.5 release)"
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"
  local org
  for org in Orderer "${PEER_ORGS[@]}"; do
    mkdir -p "$(ca_home "$org")"
    log "starting $(ca_name "$org") on 127.0.0.1:$(ca_port "$org")"
    (
      export FABRIC_CA_SERVER_HOME FABRIC_CA_SERVER_ADDRESS FABRIC_CA_SERVER_PORT FABRIC_CA_SERVER_CA_NAME \
        FABRIC_CA_SERVER_TLS_ENABLED FABRIC_CA_SERVER_CSR_CN FABRIC_CA_SERVER_CSR_HOSTS \
        FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS
      FABRIC_CA_SERVER_HOME=$(ca_home "$org")
      FABRIC_CA_SERVER_ADDRESS=127.0.0.1
      FABRIC_CA_SERVER_PORT=$(ca_port "$org")
      FABRIC_CA_SERVER_CA_NAME=$(ca_name "$org")
      FABRIC_CA_SERVER_TLS_ENABLED=true
      FABRIC_CA_SERVER_CSR_CN=ca.$(domain "$org")
      FABRIC_CA_SERVER_CSR_HOSTS=localhost,127.0.0.1,ca.$(domain "$org")
      FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS=127.0.0.1:$(ca_ops_port "$org")
      exec nohup fabric-ca-server start -b "$ADMIN_USER:$ADMIN_PASSWORD" \
        >"$RUN_DIR/logs/$(ca_name "$org").log" 2>&1 </dev/null
    ) &
    echo $! >"$RUN_DIR/pids/$(ca_name "$org").pid"
  done
  for org in Orderer "${PEER_ORGS[@]}"; do wait_for_ca "$org"; done
}

stop_servers() {
  local file pid
  for file in "$RUN_DIR"/pids/ca-*.pid; do
    [[ -e $file ]] || continue
    pid=$(<"$file")
    if kill -0 "$pid" 2>/dev/null && [[ $(ps -p "$pid" -o args= 2>/dev/null) == *fabric-ca-server* ]]; then
      log "stopping $(basename "$file" .pid) (pid $pid)"
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  done
}

# --- client side ----------------------------------------------------------------------------------------------
# ca_client ORG ARGS...: fabric-ca-client against ORG's CA, as ORG's registrar (the CA's bootstrap admin).
ca_client() {
  local org=$1
  shift
  FABRIC_CA_CLIENT_HOME="$(ca_home "$org")/registrar" \
    fabric-ca-client "$@" --caname "$(ca_name "$org")" --tls.certfiles "$(ca_root "$org")"
}

# Percent-encodes "@" so an enrollment ID like Admin@org1.gridledger.example fits in the URL's user part.
enroll_url() { echo "https://${1//@/%40}:$2@localhost:$(ca_port "$3")"; }

register() {
  local org=$1 id=$2 type=$3 out
  shift 3
  if ! out=$(ca_client "$org" register --id.name "$id" --id.secret "${id%%@*}pw" --id.type "$type" \
    -u "https://localhost:$(ca_port "$org")" "$@" 2>&1); then
    grep -qi "already registered" <<<"$out" || die "registering $id with $(ca_name "$org") failed: $out"
  fi
}

# Moves fabric-ca-client's output to cryptogen's file names: signcerts/<name>-cert.pem, keystore/priv_sk,
# cacerts/ca.<domain>-cert.pem, and a NodeOUs config.yaml naming that CA certificate.
normalize_msp() {
  local org=$1 name=$2 msp=$3 dom
  dom=$(domain "$org")
  mv "$msp"/signcerts/cert.pem "$msp/signcerts/$name-cert.pem"
  mv "$msp"/keystore/*_sk "$msp/keystore/priv_sk"
  rm -f "$msp"/cacerts/*
  cp "$(ca_root "$org")" "$msp/cacerts/ca.$dom-cert.pem"
  mkdir -p "$msp/tlscacerts"
  cp "$(ca_root "$org")" "$msp/tlscacerts/tlsca.$dom-cert.pem"
  node_ous_config "ca.$dom-cert.pem" >"$msp/config.yaml"
}

node_ous_config() {
  local role
  echo "NodeOUs:"
  echo "  Enable: true"
  for role in Client Peer Admin Orderer; do
    echo "  ${role}OUIdentifier:"
    echo "    Certificate: cacerts/$1"
    echo "    OrganizationalUnitIdentifier: $(tr '[:upper:]' '[:lower:]' <<<"$role")"
  done
}

# enroll_identity ORG NAME FOLDER [tls-kind]: enrollment certificate into FOLDER/msp and, when tls-kind is
# "server" or "client", a TLS certificate into FOLDER/tls (server.crt/key or client.crt/key, and ca.crt).
enroll_identity() {
  local org=$1 name=$2 folder=$3 tls_kind=${4:-} url work
  url=$(enroll_url "$name" "${name%%@*}pw" "$org")
  rm -rf "$folder"
  mkdir -p "$folder"
  FABRIC_CA_CLIENT_HOME=$folder fabric-ca-client enroll -u "$url" --caname "$(ca_name "$org")" \
    -M "$folder/msp" --tls.certfiles "$(ca_root "$org")" >/dev/null 2>&1 ||
    die "enrolling $name with $(ca_name "$org") failed"
  normalize_msp "$org" "$name" "$folder/msp"
  rm -f "$folder/fabric-ca-client-config.yaml"
  [[ -n $tls_kind ]] || return 0
  local hosts=()
  # A node's TLS certificate names it, its short host name and the loopback addresses it is reached at.
  [[ $tls_kind == server ]] && hosts=(--csr.hosts "$name,${name%%.*},localhost,127.0.0.1")
  work=$(mktemp -d)
  FABRIC_CA_CLIENT_HOME=$work fabric-ca-client enroll -u "$url" --caname "$(ca_name "$org")" -M "$work/tls" \
    --enrollment.profile tls "${hosts[@]}" --tls.certfiles "$(ca_root "$org")" >/dev/null 2>&1 ||
    die "TLS enrollment of $name failed"
  mkdir -p "$folder/tls"
  cp "$work"/tls/signcerts/cert.pem "$folder/tls/$tls_kind.crt"
  cp "$work"/tls/keystore/*_sk "$folder/tls/$tls_kind.key"
  cp "$(ca_root "$org")" "$folder/tls/ca.crt"
  rm -rf "$work"
}

# The org's channel MSP (msp/), and ca/ and tlsca/ with the CA certificate under cryptogen's names.
org_msp() {
  local org=$1 dir dom
  dir=$(org_dir "$org")
  dom=$(domain "$org")
  mkdir -p "$dir/msp/cacerts" "$dir/msp/tlscacerts" "$dir/ca" "$dir/tlsca"
  cp "$(ca_root "$org")" "$dir/msp/cacerts/ca.$dom-cert.pem"
  cp "$(ca_root "$org")" "$dir/msp/tlscacerts/tlsca.$dom-cert.pem"
  cp "$(ca_root "$org")" "$dir/ca/ca.$dom-cert.pem"
  cp "$(ca_root "$org")" "$dir/tlsca/tlsca.$dom-cert.pem"
  node_ous_config "ca.$dom-cert.pem" >"$dir/msp/config.yaml"
}

enroll_registrar() {
  local org=$1 home
  home=$(ca_home "$org")/registrar
  mkdir -p "$home"
  FABRIC_CA_CLIENT_HOME=$home fabric-ca-client enroll -u "$(enroll_url "$ADMIN_USER" "$ADMIN_PASSWORD" "$org")" \
    --caname "$(ca_name "$org")" --tls.certfiles "$(ca_root "$org")" >/dev/null 2>&1 ||
    die "enrolling the bootstrap admin of $(ca_name "$org") failed"
}

# provider-nodes.yaml: "OrgN:" then "  - nodeName" lines.
provider_nodes_of() {
  awk -v wanted="$1" '
    /^[[:space:]]*#/ || /^[[:space:]]*$/ { next }
    /^[A-Za-z0-9_-]+:/ { org = $1; sub(/:.*/, "", org); next }
    /^[[:space:]]+-[[:space:]]*/ && org == wanted {
      node = $0
      sub(/^[[:space:]]+-[[:space:]]*/, "", node)
      sub(/[[:space:]]*(#.*)?$/, "", node)
      if (node != "") print node
    }
  ' "$FABRIC_DIR/provider-nodes.yaml"
}

enroll_orderer_org() {
  local o dir
  dir=$(org_dir Orderer)
  log "OrdererOrg: orderer1..3, Admin@$ORDERER_DOMAIN"
  enroll_registrar Orderer
  org_msp Orderer
  for o in orderer1 orderer2 orderer3; do
    register Orderer "$o.$ORDERER_DOMAIN" orderer
    enroll_identity Orderer "$o.$ORDERER_DOMAIN" "$dir/orderers/$o.$ORDERER_DOMAIN" server
  done
  register Orderer "Admin@$ORDERER_DOMAIN" admin
  enroll_identity Orderer "Admin@$ORDERER_DOMAIN" "$dir/users/Admin@$ORDERER_DOMAIN" client
}

enroll_peer_org() {
  local org=$1 dom dir node out
  dom=$(domain "$org")
  dir=$(org_dir "$org")
  log "$org: peer0, Admin, User1, provider nodes"
  enroll_registrar "$org"
  org_msp "$org"
  if ! out=$(ca_client "$org" affiliation add provider -u "https://localhost:$(ca_port "$org")" 2>&1); then
    grep -qi "already exists" <<<"$out" || die "adding affiliation provider to $(ca_name "$org") failed: $out"
  fi
  register "$org" "peer0.$dom" peer
  enroll_identity "$org" "peer0.$dom" "$dir/peers/peer0.$dom" server
  register "$org" "Admin@$dom" admin
  enroll_identity "$org" "Admin@$dom" "$dir/users/Admin@$dom" client
  register "$org" "User1@$dom" client
  enroll_identity "$org" "User1@$dom" "$dir/users/User1@$dom" client
  while read -r node; do
    log "$org: provider node $node@$dom (OU=client, OU=provider, gridledger.role=provider)"
    register "$org" "$node@$dom" client --id.affiliation provider --id.attrs 'gridledger.role=provider:ecert'
    enroll_identity "$org" "$node@$dom" "$dir/users/$node@$dom"
  done < <(provider_nodes_of "$org")
}

enroll_all() {
  command -v fabric-ca-client >/dev/null 2>&1 || die "fabric-ca-client is not on PATH (Fabric CA 1.5 release)"
  local org
  for org in Orderer "${PEER_ORGS[@]}"; do wait_for_ca "$org"; done
  enroll_orderer_org
  for org in "${PEER_ORGS[@]}"; do enroll_peer_org "$org"; done
}

case ${1:-} in
  start) start_servers ;;
  enroll) enroll_all ;;
  stop) stop_servers ;;
  *) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
