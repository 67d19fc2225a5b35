#!/usr/bin/env bash
# Provides a Go-built tool pinned in hack/tool-versions.env, building and caching it on first use.
#
# Usage: hack/go-tool.sh NAME
#   NAME   kustomize | kube-score
# Prints, as the last line on stdout, the path of the executable:
#   - $<NAME>_BIN (KUSTOMIZE_BIN, KUBE_SCORE_BIN), when it is set and executable;
#   - otherwise <repo>/.cache/go-tools/<NAME>/<VERSION>/<NAME>, building it with
#     `go install <package>@<VERSION>` when it is missing (a minute or two on 2 cores; a warm run only
#     prints the path). A tool on PATH is not used: its version would not be the pinned one.
# Progress goes to stderr.
#
# Environment:
#   GO_TOOLS_CACHE_DIR   cache root (default <repo>/.cache/go-tools)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=hack/tool-versions.env
source "${REPO_ROOT}/hack/tool-versions.env"

NAME=${1:?usage: hack/go-tool.sh kustomize|kube-score}
log() { printf '[%s %(%H:%M:%S)T] %s\n' "${NAME}" -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=hack/cache-lock.sh
source "${REPO_ROOT}/hack/cache-lock.sh"

case "${NAME}" in
  kustomize)
    PACKAGE=sigs.k8s.io/kustomize/kustomize/v5 VERSION=${KUSTOMIZE_VERSION} OVERRIDE=${KUSTOMIZE_BIN:-}
    # kustomize reads its own version from build info; nothing to stamp.
    LDFLAGS="-s -w" ;;
  kube-score)
    PACKAGE=github.com/zegl/kube-score/cmd/kube-score VERSION=${KUBE_SCORE_VERSION} OVERRIDE=${KUBE_SCORE_BIN:-}
    LDFLAGS="-s -w -X main.version=${KUBE_SCORE_VERSION#v}" ;;
  *) die "unknown tool '${NAME}' (kustomize, kube-score)" ;;
esac
: "${VERSION:?the version of ${NAME} is not set in hack/tool-versions.env}"

if [[ -n "${OVERRIDE}" ]]; then
  [[ -x "${OVERRIDE}" ]] || die "${OVERRIDE} is not an executable file"
  printf '%s\n' "${OVERRIDE}"
  exit 0
fi

CACHE_ROOT=${GO_TOOLS_CACHE_DIR:-${REPO_ROOT}/.cache/go-tools}/${NAME}
DEST="${CACHE_ROOT}/${VERSION}"
cached() { [[ -x "${DEST}/${NAME}" ]]; }
if cached; then
  printf '%s\n' "${DEST}/${NAME}"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not installed: it is needed to build ${NAME} ${VERSION}"
mkdir -p "${CACHE_ROOT}"
# One build at a time: a second caller waits, then finds the cache.
if hold_cache_lock "${CACHE_ROOT}" cached; then
  printf '%s\n' "${DEST}/${NAME}"
  exit 0
fi

WORK=$(mktemp -d "${CACHE_ROOT}/.build-XXXXXX")
trap 'rm -rf "${WORK}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export GOWORK=off CGO_ENABLED=0
START=${SECONDS}
log "building ${PACKAGE}@${VERSION}"
mkdir -p "${WORK}/bin"
GOBIN="${WORK}/bin" go install -trimpath -ldflags="${LDFLAGS}" "${PACKAGE}@${VERSION}"
[[ -x "${WORK}/bin/${NAME}" ]] || die "the build did not produce ${NAME}"

# Publish at once: a killed build never leaves a half cache.
rm -rf "${DEST}"
mv "${WORK}/bin" "${DEST}"
log "cached in ${DEST} after $((SECONDS - START)) s"
printf '%s\n' "${DEST}/${NAME}"
