#!/usr/bin/env bash
# Provides the binaries of a real control plane for the e2e tests: etcd, kube-apiserver and
# kube-controller-manager.
#
# Prints, as the last line on stdout, the folder that holds the three executables:
#   - $KUBEBUILDER_ASSETS, when it is set and holds all three;
#   - otherwise <repo>/.cache/envtest/<K8S_VERSION>-etcd<ETCD_VERSION>/, building it first with Go
#     when it is missing (several minutes on 2 cores; a warm run only prints the path).
# Versions are pinned in hack/envtest-versions.env. Progress goes to stderr.
#
# Environment:
#   KUBEBUILDER_ASSETS   use this folder if it holds all three binaries
#   ENVTEST_CACHE_DIR    cache root (default <repo>/.cache/envtest)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=hack/envtest-versions.env
source "${REPO_ROOT}/hack/envtest-versions.env"
: "${K8S_VERSION:?K8S_VERSION is not set in hack/envtest-versions.env}"
: "${ETCD_VERSION:?ETCD_VERSION is not set in hack/envtest-versions.env}"

BINARIES=(etcd kube-apiserver kube-controller-manager)

log() { printf '[envtest %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=hack/cache-lock.sh
source "${REPO_ROOT}/hack/cache-lock.sh"

# has_all DIR: true when DIR holds all three binaries as executable files.
has_all() {
  local dir=$1 bin
  for bin in "${BINARIES[@]}"; do
    [[ -f "${dir}/${bin}" && -x "${dir}/${bin}" ]] || return 1
  done
}

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  if has_all "${KUBEBUILDER_ASSETS}"; then
    printf '%s\n' "${KUBEBUILDER_ASSETS}"
    exit 0
  fi
  log "KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} does not hold ${BINARIES[*]}; using the cache instead"
fi

CACHE_ROOT=${ENVTEST_CACHE_DIR:-${REPO_ROOT}/.cache/envtest}
DEST="${CACHE_ROOT}/${K8S_VERSION}-etcd${ETCD_VERSION}"

if has_all "${DEST}"; then
  printf '%s\n' "${DEST}"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not installed: it is needed to build the control plane binaries"

mkdir -p "${CACHE_ROOT}"
# One build at a time: a second caller waits, then finds the cache.
cached_envtest() { has_all "${DEST}"; }
if hold_cache_lock "${CACHE_ROOT}" cached_envtest; then
  printf '%s\n' "${DEST}"
  exit 0
fi

WORK=$(mktemp -d "${CACHE_ROOT}/.build-XXXXXX")
cleanup() { rm -rf "${WORK}"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export GOWORK=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
OUT="${WORK}/bin"
mkdir -p "${OUT}"
START=${SECONDS}

# mod_field JSON FIELD: a string field of `go mod download -json` output.
mod_field() {
  sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" <<<"$1" | head -n 1
}

# ---------------------------------------------------------------------------------------------
# etcd: its own throwaway module, so that its dependency versions are the ones it was released with.
log "resolving go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
etcd_json=$(go mod download -json "go.etcd.io/etcd/server/v3@${ETCD_VERSION}")
etcd_gomod=$(mod_field "${etcd_json}" GoMod)
[[ -f "${etcd_gomod}" ]] || die "no go.mod for go.etcd.io/etcd/server/v3@${ETCD_VERSION}"
etcd_go=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "${etcd_gomod}")
mkdir -p "${WORK}/etcd"
cat >"${WORK}/etcd/go.mod" <<GOMOD
module envtest.local/etcd

go ${etcd_go:-1.24}

require go.etcd.io/etcd/server/v3 ${ETCD_VERSION}
GOMOD
log "building etcd ${ETCD_VERSION}"
t0=${SECONDS}
(cd "${WORK}/etcd" && go build -trimpath -ldflags='-s -w' -o "${OUT}/etcd" go.etcd.io/etcd/server/v3)
log "built etcd in $((SECONDS - t0)) s"

# ---------------------------------------------------------------------------------------------
# kube-apiserver and kube-controller-manager from k8s.io/kubernetes, with every staging module
# (listed as `=> ./staging/...` in kubernetes' own go.mod) replaced by its matching release.
log "resolving k8s.io/kubernetes@${K8S_VERSION}"
k8s_json=$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}")
k8s_gomod=$(mod_field "${k8s_json}" GoMod)
k8s_info=$(mod_field "${k8s_json}" Info)
[[ -f "${k8s_gomod}" ]] || die "no go.mod for k8s.io/kubernetes@${K8S_VERSION}"
k8s_commit=$(mod_field "${k8s_json}" Hash)
k8s_date=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "${k8s_info}")
staging_version="v0.${K8S_VERSION#v1.}"
k8s_go=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "${k8s_gomod}")
k8s_godebug=$(grep -E '^godebug[[:space:]]' "${k8s_gomod}" || true)

mapfile -t staging < <(
  sed -n -E 's#^[[:space:]]*(replace[[:space:]]+)?(k8s\.io/[^[:space:]]+)[[:space:]]+=>[[:space:]]+\./staging/.*#\2#p' "${k8s_gomod}"
)
((${#staging[@]} > 0)) || die "found no ./staging replace directives in ${k8s_gomod}"
log "pinning ${#staging[@]} staging modules to ${staging_version}"

mkdir -p "${WORK}/k8s"
{
  printf 'module envtest.local/kubernetes\n\ngo %s\n\n' "${k8s_go:-1.25.0}"
  if [[ -n "${k8s_godebug}" ]]; then printf '%s\n\n' "${k8s_godebug}"; fi
  printf 'require k8s.io/kubernetes %s\n\nreplace (\n' "${K8S_VERSION}"
  for mod in "${staging[@]}"; do
    printf '\t%s => %s %s\n' "${mod}" "${mod}" "${staging_version}"
  done
  printf ')\n'
} >"${WORK}/k8s/go.mod"

k8s_minor=${K8S_VERSION#v1.}
k8s_minor=${k8s_minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${k8s_minor}"
  ldflags+=" -X ${pkg}.gitCommit=${k8s_commit:-unknown} -X ${pkg}.gitTreeState=clean"
  ldflags+=" -X ${pkg}.buildDate=${k8s_date:-1970-01-01T00:00:00Z}"
done

log "building kube-apiserver and kube-controller-manager ${K8S_VERSION} (many minutes on 2 cores)"
t0=${SECONDS}
(cd "${WORK}/k8s" && go build -trimpath -ldflags="${ldflags}" -o "${OUT}/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager)
log "built kube-apiserver and kube-controller-manager in $((SECONDS - t0)) s"

has_all "${OUT}" || die "the build did not produce ${BINARIES[*]}"

# Publish all three at once: a killed build never leaves a half cache.
rm -rf "${DEST}"
mv "${OUT}" "${DEST}"
log "cached in ${DEST} after $((SECONDS - START)) s"
printf '%s\n' "${DEST}"
