#!/usr/bin/env bash
# Checks the chart and the manifests generated from it:
#   1. `helm lint --strict` and `helm template` pass with the defaults and every charts/credinject/ci/
#      mode (TLS modes, url-based webhooks, one replica, mirroring, platform options, OpenShift: see
#      hack/chart-modes.sh);
#   2. values the schema must refuse make `helm template` fail, naming the offending key;
#   3. the templates make no cluster lookups (`helm template` output applies as is, also with
#      a server-side dry run);
#   4. deploy/ is what hack/render-deploy.sh renders now (else: a diff, and how to fix it), and it
#      builds with kustomize (hack/go-tool.sh kustomize).
# Runs every check, then exits non-zero when any failed.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHART="${REPO_ROOT}/charts/credinject"
helm=$("${REPO_ROOT}/hack/helm.sh" | tail -n 1)

failures=0
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
pass() { printf 'ok:   %s\n' "$*" >&2; }

tmp=$(mktemp -d)
trap 'rm -rf "${tmp}"' EXIT

# --- 1. every mode lints and renders --------------------------------------------------------
# shellcheck source=hack/chart-modes.sh
source "${REPO_ROOT}/hack/chart-modes.sh"
mapfile -t modes < <(chart_modes "${CHART}")
for name in "${modes[@]}"; do
  args=()
  values=$(chart_mode_values "${CHART}" "${name}")
  if [[ -n "${values}" ]]; then args=(-f "${values}"); fi
  if ! "${helm}" lint --strict "${CHART}" --namespace credinject-system "${args[@]}" >"${tmp}/lint.log" 2>&1; then
    fail "helm lint (${name})"; cat "${tmp}/lint.log" >&2; continue
  fi
  if ! "${helm}" template credinject "${CHART}" --namespace credinject-system "${args[@]}" >"${tmp}/${name}.yaml" 2>"${tmp}/template.log"; then
    fail "helm template (${name})"; cat "${tmp}/template.log" >&2; continue
  fi
  pass "helm lint + template (${name}): $(grep -c '^kind:' "${tmp}/${name}.yaml") objects"
done

# Spot checks on what the modes must change.
webhooks=$(grep -c 'clientConfig:' "${tmp}/default.yaml")
if [[ $(grep -c 'url: "https://127.0.0.1:8443/' "${tmp}/url.yaml") != "${webhooks}" ]] || grep -q 'service:' "${tmp}/url.yaml"; then
  fail "webhook.url must switch all ${webhooks} webhooks to clientConfig.url"
fi
if ! grep -q 'cert-manager.io/inject-ca-from: credinject-system/credinject-serving' "${tmp}/certmanager.yaml"; then
  fail "certManager mode must annotate the webhook configurations with inject-ca-from"
fi
if grep -q 'kind: PodDisruptionBudget' "${tmp}/single-replica.yaml"; then
  fail "a single replica must not get a PodDisruptionBudget (it would block every drain)"
fi
if ! grep -q -- '- --mirror-cluster-credentials' "${tmp}/mirroring.yaml" || ! grep -q 'name: credinject-mirror$' "${tmp}/mirroring.yaml"; then
  fail "mirroring.enabled must pass --mirror-cluster-credentials and add the credinject-mirror ClusterRole"
fi
if grep -q -e 'mirror-cluster-credentials' -e 'name: credinject-mirror$' "${tmp}/default.yaml"; then
  fail "mirroring must be off by default (no flag, no Secret write RBAC)"
fi

# --- 2. bad values fail, naming the key -------------------------------------------------------
# "<--set flags>|<text the error must contain>"
bad_cases=(
  "--set tls.mode=bogus|/tls/mode"
  "--set replicaCount=0|/replicaCount"
  "--set replicaCount=1.5|/replicaCount"
  "--set webhook.failurePolicy.podsMutate=Never|/webhook/failurePolicy/podsMutate"
  "--set tls.mode=existingSecret|/tls/existingSecret/name"
  "--set webhook.url=http://127.0.0.1:8443|/webhook/url"
  "--set webhook.timeoutSeconds=31|/webhook/timeoutSeconds"
  "--set agent.sidecarMode=sidecar|/agent/sidecarMode"
  "--set replicas=3|additional properties 'replicas'"
  "--set metrics.port=8443|metrics.port must not be 8443"
  "--set mirroring.enabled=yes|/mirroring/enabled"
  "--set mirroring.resyncSeconds=0|/mirroring/resyncSeconds"
)
for entry in "${bad_cases[@]}"; do
  read -r -a args <<<"${entry%%|*}"
  want=${entry#*|}
  if "${helm}" template credinject "${CHART}" --namespace credinject-system "${args[@]}" >/dev/null 2>"${tmp}/bad.log"; then
    fail "helm template ${args[*]} succeeded; it must be refused"
  elif ! grep -qF -- "${want}" "${tmp}/bad.log"; then
    fail "helm template ${args[*]} failed without naming '${want}':"; cat "${tmp}/bad.log" >&2
  else
    pass "refused: ${args[*]}"
  fi
done

# --- 3. no cluster lookups ------------------------------------------------------------------
if grep -rnE '\blookup\b|\.Capabilities\.APIVersions' "${CHART}/templates"; then
  fail "the templates must not look at the cluster (lookup / .Capabilities.APIVersions): output would differ per cluster"
else
  pass "no cluster lookups in the templates"
fi

# --- 4. deploy/ is up to date ---------------------------------------------------------------
"${REPO_ROOT}/hack/render-deploy.sh" "${tmp}/deploy" 2>/dev/null
if ! diff -ru "${REPO_ROOT}/deploy" "${tmp}/deploy" >"${tmp}/deploy.diff"; then
  cat "${tmp}/deploy.diff" >&2
  fail "deploy/ is out of date with charts/credinject: run hack/render-deploy.sh and commit deploy/"
else
  pass "deploy/ matches charts/credinject"
fi

# kustomize: `kubectl apply -k deploy/` needs the base to build (test/deploy/kustomize.test.ts
# checks what an overlay makes of it).
kustomize=$("${REPO_ROOT}/hack/go-tool.sh" kustomize | tail -n 1)
if "${kustomize}" build "${REPO_ROOT}/deploy" >"${tmp}/kustomized.yaml" 2>"${tmp}/kustomize.log"; then
  pass "kustomize build deploy/: $(grep -c '^kind:' "${tmp}/kustomized.yaml") objects"
else
  fail "kustomize build deploy/"; cat "${tmp}/kustomize.log" >&2
fi

if ((failures > 0)); then
  printf '%d check(s) failed\n' "${failures}" >&2
  exit 1
fi
printf 'check-deploy: all checks passed (%s)\n' "$("${helm}" version --short)"
