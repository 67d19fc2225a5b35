#!/usr/bin/env bash
# Lints the shell scripts (shellcheck on hack/*.sh) and, when hadolint is installed, the Dockerfile.
# Exits non-zero on any finding. shellcheck is required (apt-get install -y shellcheck); hadolint is
# optional (Debian does not package it) and is skipped with a note when absent.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${REPO_ROOT}"

command -v shellcheck >/dev/null 2>&1 || { echo "lint: shellcheck is not installed (apt-get install -y shellcheck)" >&2; exit 1; }

status=0
shopt -s nullglob
scripts=(hack/*.sh)
# -x follows `source` of hack/*.env; findings of every severity count.
if shellcheck -x --severity=style "${scripts[@]}"; then
  printf 'lint: shellcheck clean (%d scripts)\n' "${#scripts[@]}"
else
  status=1
fi

if command -v hadolint >/dev/null 2>&1; then
  if hadolint Dockerfile; then echo "lint: hadolint clean (Dockerfile)"; else status=1; fi
else
  echo "lint: hadolint not installed; Dockerfile not linted"
fi
exit "${status}"
