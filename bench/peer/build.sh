#!/usr/bin/env bash
# Builds the Go programs of the peer benchmark and caches them; prints the folder holding them as
# the last line on stdout (progress goes to stderr). A warm run only prints the path.
#
#   bench/peer/build.sh vault-k8s   HashiCorp's Vault Agent Injector (the `vault-k8s` binary) at
#                                   VAULT_K8S_VERSION, from its Go module through the module proxy,
#                                   in a throwaway module like hack/envtest.sh does for kube-apiserver
#                                   (several minutes cold on 2 cores): nothing of it is kept in git.
#   bench/peer/build.sh tools       our own Go programs in bench/peer/go/ (the Go HTTPS floor and the
#                                   open-loop load client), cached under a hash of their sources.
#
# Environment: BENCH_CACHE_DIR  cache root (default <repo>/.cache/bench)
set -euo pipefail

VAULT_K8S_VERSION=v1.6.2

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
log() { printf '[bench-peer %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=hack/cache-lock.sh
source "${REPO_ROOT}/hack/cache-lock.sh"

what=${1:-}
SOURCES="${REPO_ROOT}/bench/peer/go"
case "${what}" in
  vault-k8s) NAME="vault-k8s-${VAULT_K8S_VERSION}"; BINARIES=(vault-k8s) ;;
  tools)
    # Content hash of our sources: an edit rebuilds, an unchanged checkout reuses the cache.
    hash=$(cd "${SOURCES}" && find . -type f \( -name '*.go' -o -name 'go.mod' \) | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)
    NAME="tools-${hash}"; BINARIES=(go-floor pace) ;;
  *) die "usage: bench/peer/build.sh vault-k8s|tools" ;;
esac

CACHE_ROOT=${BENCH_CACHE_DIR:-${REPO_ROOT}/.cache/bench}
DEST="${CACHE_ROOT}/${NAME}"
has_all() {
  local bin
  for bin in "${BINARIES[@]}"; do [[ -x "${DEST}/${bin}" ]] || return 1; done
}
if has_all; then
  printf '%s\n' "${DEST}"
  exit 0
fi
command -v go >/dev/null 2>&1 || die "go is not installed: it builds ${BINARIES[*]}"

mkdir -p "${CACHE_ROOT}"
# One build at a time (this cache root): a second caller waits, then finds the cache.
if hold_cache_lock "${CACHE_ROOT}" has_all; then
  printf '%s\n' "${DEST}"
  exit 0
fi

WORK=$(mktemp -d "${CACHE_ROOT}/.build-XXXXXX")
trap 'rm -rf "${WORK}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
export GOWORK=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOTOOLCHAIN=local
OUT="${WORK}/bin"
mkdir -p "${OUT}"
START=${SECONDS}

if [[ "${what}" == vault-k8s ]]; then
  # A module of our own that requires vault-k8s: its go.mod's requirements pick every dependency
  # version (minimal version selection), so the binary is the released one's, built the way its
  # Makefile does (CGO off, version stamped).
  cat >"${WORK}/go.mod" <<GOMOD
module bench.local/vault-k8s

go 1.23.6

require github.com/hashicorp/vault-k8s ${VAULT_K8S_VERSION}
GOMOD
  log "building vault-k8s ${VAULT_K8S_VERSION} from the Go module proxy (minutes on 2 cores)"
  (cd "${WORK}" && go build -trimpath \
    -ldflags="-s -w -X github.com/hashicorp/vault-k8s/version.Version=${VAULT_K8S_VERSION}" \
    -o "${OUT}/vault-k8s" github.com/hashicorp/vault-k8s)
else
  log "building ${BINARIES[*]} from bench/peer/go"
  (cd "${SOURCES}" && go build -trimpath -ldflags='-s -w' -o "${OUT}/" ./floor ./pace)
  mv "${OUT}/floor" "${OUT}/go-floor"
fi
has_all_out() { local bin; for bin in "${BINARIES[@]}"; do [[ -x "${OUT}/${bin}" ]] || return 1; done; }
has_all_out || die "the build did not produce ${BINARIES[*]}"

# Publish at once: a killed build never leaves a half cache.
rm -rf "${DEST}"
mv "${OUT}" "${DEST}"
# An edit of our sources leaves the previous build unused: keep only this one.
if [[ "${what}" == tools ]]; then
  find "${CACHE_ROOT}" -mindepth 1 -maxdepth 1 -type d -name 'tools-*' ! -name "${NAME}" -exec rm -rf {} +
fi
log "cached ${BINARIES[*]} in ${DEST} after $((SECONDS - START)) s"
printf '%s\n' "${DEST}"
