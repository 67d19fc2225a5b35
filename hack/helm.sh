#!/usr/bin/env bash
# Provides a `helm` binary for the chart scripts.
#
# Prints, as the last line on stdout, the path of a helm executable:
#   - $HELM, when it is set and executable;
#   - `helm` from PATH, when there is one (set HELM_FROM_SOURCE=1 to skip it);
#   - otherwise <repo>/.cache/helm/<HELM_VERSION>/helm, building it first with Go from the module
#     helm.sh/helm/v3 when it is missing (a few minutes on 2 cores; a warm run only prints the path).
# The version is pinned in hack/helm-versions.env. Progress goes to stderr.
#
# Environment:
#   HELM               use this binary
#   HELM_FROM_SOURCE   1: ignore helm on PATH and use (or build) the pinned version
#   HELM_CACHE_DIR     cache root (default <repo>/.cache/helm)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=hack/helm-versions.env
source "${REPO_ROOT}/hack/helm-versions.env"
: "${HELM_VERSION:?HELM_VERSION is not set in hack/helm-versions.env}"

log() { printf '[helm %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=hack/cache-lock.sh
source "${REPO_ROOT}/hack/cache-lock.sh"

if [[ -n "${HELM:-}" ]]; then
  [[ -x "${HELM}" ]] || die "HELM=${HELM} is not an executable file"
  printf '%s\n' "${HELM}"
  exit 0
fi

if [[ "${HELM_FROM_SOURCE:-0}" != 1 ]] && on_path=$(command -v helm 2>/dev/null); then
  printf '%s\n' "${on_path}"
  exit 0
fi

CACHE_ROOT=${HELM_CACHE_DIR:-${REPO_ROOT}/.cache/helm}
DEST="${CACHE_ROOT}/${HELM_VERSION}"

if [[ -x "${DEST}/helm" ]]; then
  printf '%s\n' "${DEST}/helm"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "no helm on PATH and go is not installed to build ${HELM_VERSION}"

mkdir -p "${CACHE_ROOT}"
# One build at a time: a second caller waits, then finds the cache.
cached_helm() { [[ -x "${DEST}/helm" ]]; }
if hold_cache_lock "${CACHE_ROOT}" cached_helm; then
  printf '%s\n' "${DEST}/helm"
  exit 0
fi

WORK=$(mktemp -d "${CACHE_ROOT}/.build-XXXXXX")
cleanup() { rm -rf "${WORK}"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# mod_field JSON FIELD: a string field of `go mod download -json` output.
mod_field() {
  sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" <<<"$1" | head -n 1
}

export GOWORK=off CGO_ENABLED=0
START=${SECONDS}

log "resolving helm.sh/helm/v3@${HELM_VERSION}"
json=$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}")
gomod=$(mod_field "${json}" GoMod)
[[ -f "${gomod}" ]] || die "no go.mod for helm.sh/helm/v3@${HELM_VERSION}"
commit=$(mod_field "${json}" Hash)

# The same version stamps as helm's Makefile: the Helm version, and the Kubernetes version that
# `helm template` and `helm lint` assume by default (derived from the k8s.io/client-go it builds with,
# v0.X.Y -> 1.X), which would otherwise be the source default v1.20.
client_go=$(sed -n -E 's#^[[:space:]]*k8s\.io/client-go[[:space:]]+v0\.([0-9]+)\..*#\1#p' "${gomod}" | head -n 1)
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}"
ldflags+=" -X helm.sh/helm/v3/internal/version.gitCommit=${commit:-unknown}"
ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
if [[ -n "${client_go}" ]]; then
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X ${pkg}.k8sVersionMajor=1 -X ${pkg}.k8sVersionMinor=${client_go}"
  done
fi

log "building helm ${HELM_VERSION} (a few minutes on 2 cores)"
mkdir -p "${WORK}/bin"
GOBIN="${WORK}/bin" go install -trimpath -ldflags="${ldflags}" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
[[ -x "${WORK}/bin/helm" ]] || die "the build did not produce helm"
"${WORK}/bin/helm" version --short >&2

# Publish at once: a killed build never leaves a half cache.
rm -rf "${DEST}"
mv "${WORK}/bin" "${DEST}"
log "cached in ${DEST} after $((SECONDS - START)) s"
printf '%s\n' "${DEST}/helm"
