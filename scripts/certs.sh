#!/usr/bin/env bash
# The local certificate authority of a stack instance and the certificates it signs, under .stack/NAME/tls/.
#
#   scripts/certs.sh NAME          make whatever is missing (idempotent: existing keys and certificates are kept)
#   scripts/certs.sh NAME --env    also print the MEMSYNC_Tls__* lines that point silos and clients at them
#
# What a certificate may do is its role, written in the Subject's organizational unit (OU=silo, OU=operator or
# OU=agent, with O=MemorySync): the silo port admits only OU=silo, the gateway OU=operator and OU=agent (and the
# silos' own certificate, whose holder could join the cluster anyway). Silos trust only this CA, never the machine's
# store, so a certificate from any other CA is refused. A user with their own PKI issues certificates with the same
# OU values and points the Tls:* settings at them instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

instance="${1:?usage: scripts/certs.sh NAME [--env]}"
print_env="${2:-}"
dir="$REPO_ROOT/.stack/$instance/tls"
ca_days=3650
leaf_days=825

command -v openssl >/dev/null 2>&1 || ensure_packages openssl
mkdir -p "$dir"
chmod 700 "$dir"

# EC P-256 keys: the handshake of every new Orleans connection signs with them, and P-256 signs quickly.
new_key() { (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null); }

# CSR OUT EXTENSIONS DAYS [--self]: OUT signed by the CA (or by the CSR's own key, for the CA itself), valid from a
# day back, as public CAs backdate theirs: a silo whose clock runs behind the machine that issued the certificate
# (minutes, as the fault suite's skewed silo does) must not refuse it as not yet valid. `openssl x509` and `req -x509`
# cannot set the start date; `openssl ca` can, with a throwaway database of its own.
sign() {
    local csr="$1" out="$2" extensions="$3" days="$4" self="${5:-}"
    local ledger
    ledger="$(mktemp -d)"
    touch "$ledger/index.txt"
    openssl rand -hex 16 >"$ledger/serial"
    cat >"$ledger/ca.cnf" <<CONFIG
[ca]
default_ca = local
[local]
database = $ledger/index.txt
new_certs_dir = $ledger
serial = $ledger/serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
organizationName = supplied
organizationalUnitName = optional
commonName = supplied
CONFIG
    local issuer=(-cert "$dir/ca.pem")
    [ "$self" != "--self" ] || issuer=(-selfsign)
    openssl ca -batch -notext -config "$ledger/ca.cnf" "${issuer[@]}" -keyfile "$dir/ca-key.pem" -in "$csr" \
        -startdate "$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ)" -enddate "$(date -u -d "$days days" +%Y%m%d%H%M%SZ)" \
        -extfile "$extensions" -out "$out" 2>"$ledger/errors" || { cat "$ledger/errors" >&2; rm -rf "$ledger"; die "could not sign $out"; }
    rm -rf "$ledger"
}

make_ca() {
    new_key "$dir/ca-key.pem"
    local extensions
    extensions="$(mktemp)"
    printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign" \
        "subjectKeyIdentifier=hash" >"$extensions"
    openssl req -new -key "$dir/ca-key.pem" -subj "/O=MemorySync/CN=MemorySync local CA ($instance)" -out "$dir/ca.csr" 2>/dev/null
    sign "$dir/ca.csr" "$dir/ca.pem" "$extensions" "$ca_days" --self
    rm -f "$dir/ca.csr" "$extensions"
    # A new CA invalidates everything the old one signed.
    rm -f "$dir"/silo.pem "$dir"/operator.pem "$dir"/agent.pem
    say "tls ($instance): created a local CA in $dir"
}

# ROLE NAME USAGES [SAN]: a key and a certificate signed by the CA, role in OU.
make_leaf() {
    local role="$1" name="$2" usages="$3" san="${4:-}"
    local extensions
    extensions="$(mktemp)"
    {
        echo "basicConstraints=critical,CA:FALSE"
        echo "keyUsage=critical,digitalSignature,keyAgreement"
        echo "extendedKeyUsage=$usages"
        [ -z "$san" ] || echo "subjectAltName=$san"
    } >"$extensions"
    new_key "$dir/$name-key.pem"
    openssl req -new -key "$dir/$name-key.pem" -subj "/O=MemorySync/OU=$role/CN=memsync-$name-$instance" -out "$dir/$name.csr" 2>/dev/null
    sign "$dir/$name.csr" "$dir/$name.pem" "$extensions" "$leaf_days"
    rm -f "$dir/$name.csr" "$extensions"
    say "tls ($instance): issued the $role certificate $dir/$name.pem"
}

[ -s "$dir/ca.pem" ] && [ -s "$dir/ca-key.pem" ] || make_ca
# Silos are TLS servers (silo port, gateway) and clients (to other silos), so their certificate carries both usages.
[ -s "$dir/silo.pem" ] && [ -s "$dir/silo-key.pem" ] || make_leaf silo silo "serverAuth,clientAuth" "DNS:localhost,IP:127.0.0.1"
[ -s "$dir/operator.pem" ] && [ -s "$dir/operator-key.pem" ] || make_leaf operator operator "clientAuth"
[ -s "$dir/agent.pem" ] && [ -s "$dir/agent-key.pem" ] || make_leaf agent agent "clientAuth"
chmod 600 "$dir"/*-key.pem
chmod 644 "$dir"/ca.pem "$dir"/silo.pem "$dir"/operator.pem "$dir"/agent.pem

if [ "$print_env" = "--env" ]; then
    cat <<ENV
export MEMSYNC_Tls__CaCertificate='$dir/ca.pem'
export MEMSYNC_Tls__SiloCertificate='$dir/silo.pem'
export MEMSYNC_Tls__SiloKey='$dir/silo-key.pem'
export MEMSYNC_Tls__ClientCertificate='$dir/operator.pem'
export MEMSYNC_Tls__ClientKey='$dir/operator-key.pem'
ENV
fi
