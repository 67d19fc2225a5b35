#!/usr/bin/env bash
# Provides the real readers of the agent's rendered formats, for test/agent/render/tools.test.ts:
# git (git-credentials), psql (pgpass) and a Python with huggingface_hub (token file) and
# python-dotenv (.env); the netrc test uses Python's own netrc module.
#
# git and psql come from Debian's packages when missing (needs root and apt-get). The Python packages
# are installed into a venv at <repo>/.cache/render-tools/<versions>/, built once; a warm run only
# prints. Prints, as the last line on stdout, the venv's python. Progress goes to stderr.
#
# Environment:
#   RENDER_TOOLS_CACHE_DIR   cache root (default <repo>/.cache/render-tools)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The ONE place these are pinned; changing one builds a new venv folder.
HUGGINGFACE_HUB_VERSION=2.4.0
PYTHON_DOTENV_VERSION=1.2.4

log() { printf '[render-tools %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=hack/cache-lock.sh
source "${REPO_ROOT}/hack/cache-lock.sh"

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
# Debian's python3 makes venvs only with python3-venv (ensurepip).
command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3 python3-venv)
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 || die "need ${missing[*]} and there is no apt-get to install them"
  log "installing ${missing[*]} from Debian's packages"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

PYTHON=$(command -v python3) || die "no python3"
CACHE_ROOT=${RENDER_TOOLS_CACHE_DIR:-${REPO_ROOT}/.cache/render-tools}
DEST="${CACHE_ROOT}/hf${HUGGINGFACE_HUB_VERSION}-dotenv${PYTHON_DOTENV_VERSION}"
mkdir -p "${CACHE_ROOT}"

venv_ready() { [[ -x "${DEST}/bin/python" ]] && "${DEST}/bin/python" -c 'import huggingface_hub, dotenv' 2>/dev/null; }
if venv_ready || hold_cache_lock "${CACHE_ROOT}" venv_ready; then
  printf '%s\n' "${DEST}/bin/python"
  exit 0
fi

# Built in place (a venv cannot be moved); a build killed half-way fails venv_ready next time and
# is started over.
rm -rf "${DEST}"
trap 'rm -rf "${DEST}"' ERR
log "creating a venv with huggingface_hub ${HUGGINGFACE_HUB_VERSION} and python-dotenv ${PYTHON_DOTENV_VERSION}"
"${PYTHON}" -m venv "${DEST}" >&2
"${DEST}/bin/python" -m pip install -q --disable-pip-version-check \
  "huggingface_hub==${HUGGINGFACE_HUB_VERSION}" "python-dotenv==${PYTHON_DOTENV_VERSION}" >&2
venv_ready || die "the venv at ${DEST} cannot import huggingface_hub and dotenv"
log "cached in ${DEST}"
printf '%s\n' "${DEST}/bin/python"
