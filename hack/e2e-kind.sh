#!/usr/bin/env bash
# End-to-end test on a real cluster: kind + the image built from this tree + the Helm chart.
#   1. create the kind cluster ${KIND_CLUSTER} (deleted again on exit, unless KEEP_CLUSTER=1);
#   2. docker build the image and kind load it;
#   3. helm install charts/credinject and wait for the rollout and the caBundle;
#   4. apply examples/credentials.yaml and examples/workloads.yaml;
#   5. check that the demo Pod got credinject.dev/status: injected and becomes Ready;
#   6. check that deleting a credential the Pod uses is refused by secrets.validate.credinject.dev.
#
# Opt-in: without docker (and a reachable engine), kind, or kubectl it prints one line and exits 0;
# with CI_KIND=true a missing tool is an error. helm comes from hack/helm.sh (PATH or a cached build).
#
# Environment:
#   CI_KIND=true     fail instead of skipping when a tool is missing
#   KIND_CLUSTER     cluster name (default credinject-e2e)
#   KIND_NODE_IMAGE  node image for `kind create cluster --image` (default: kind's own)
#   KEEP_CLUSTER=1   keep the cluster after the run, for debugging
#   DEMO_NAMESPACE   namespace of the example Pod (default credinject-demo)
#   DEMO_POD         name of the example Pod (default trainer, from examples/workloads.yaml)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KIND_CLUSTER=${KIND_CLUSTER:-credinject-e2e}
DEMO_NAMESPACE=${DEMO_NAMESPACE:-credinject-demo}
DEMO_POD=${DEMO_POD:-trainer}
RELEASE=credinject
NAMESPACE=credinject-system
IMAGE_REPOSITORY=credinject.local/credinject
IMAGE_TAG=e2e
KUBE_CONTEXT="kind-${KIND_CLUSTER}"

log() { printf '[e2e-kind %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

# --- opt-in -------------------------------------------------------------------------------
missing=()
for tool in docker kind kubectl; do
  command -v "${tool}" >/dev/null 2>&1 || missing+=("${tool}")
done
if command -v docker >/dev/null 2>&1 && ! timeout 20 docker info >/dev/null 2>&1; then
  missing+=("a running Docker engine")
fi
if ((${#missing[@]} > 0)); then
  printf -v needs '%s, ' "${missing[@]}"
  needs=${needs%, }
  if [[ "${CI_KIND:-}" == true ]]; then
    die "CI_KIND=true but this machine lacks: ${needs}"
  fi
  printf 'e2e-kind: skipped (this machine lacks: %s; CI_KIND=true makes that an error)\n' "${needs}"
  exit 0
fi

for f in examples/credentials.yaml examples/workloads.yaml; do
  [[ -f "${REPO_ROOT}/${f}" ]] || die "${f} is missing"
done

helm=$("${REPO_ROOT}/hack/helm.sh" | tail -n 1)
kc() { kubectl --context "${KUBE_CONTEXT}" "$@"; }

# wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds, at most SECONDS.
wait_for() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out waiting for ${what}"
    sleep 2
  done
}

status=1
cleanup() {
  if ((status != 0)) && kind get clusters 2>/dev/null | grep -qx "${KIND_CLUSTER}"; then
    log "diagnostics:"
    kc get pods -A -o wide >&2 || true
    kc -n "${NAMESPACE}" logs "deployment/${RELEASE}" --all-containers --tail=200 >&2 || true
    kc -n "${DEMO_NAMESPACE}" describe pod "${DEMO_POD}" >&2 || true
    kc get events -A --sort-by=.lastTimestamp 2>&1 | tail -n 40 >&2 || true
  fi
  if [[ "${KEEP_CLUSTER:-}" == 1 ]]; then
    log "keeping cluster ${KIND_CLUSTER} (kind delete cluster --name ${KIND_CLUSTER})"
  else
    kind delete cluster --name "${KIND_CLUSTER}" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. cluster ---------------------------------------------------------------------------
if kind get clusters 2>/dev/null | grep -qx "${KIND_CLUSTER}"; then
  log "deleting the leftover cluster ${KIND_CLUSTER}"
  kind delete cluster --name "${KIND_CLUSTER}"
fi
log "creating kind cluster ${KIND_CLUSTER}"
kind_args=(create cluster --name "${KIND_CLUSTER}" --wait 180s)
if [[ -n "${KIND_NODE_IMAGE:-}" ]]; then kind_args+=(--image "${KIND_NODE_IMAGE}"); fi
kind "${kind_args[@]}"

# --- 2. image -----------------------------------------------------------------------------
log "building ${IMAGE_REPOSITORY}:${IMAGE_TAG}"
docker build -t "${IMAGE_REPOSITORY}:${IMAGE_TAG}" "${REPO_ROOT}"
kind load docker-image "${IMAGE_REPOSITORY}:${IMAGE_TAG}" --name "${KIND_CLUSTER}"

# --- 3. install ---------------------------------------------------------------------------
log "installing the chart"
"${helm}" upgrade --install "${RELEASE}" "${REPO_ROOT}/charts/credinject" \
  --kube-context "${KUBE_CONTEXT}" --namespace "${NAMESPACE}" --create-namespace \
  --set image.repository="${IMAGE_REPOSITORY}" --set image.tag="${IMAGE_TAG}" \
  --set image.pullPolicy=Never --set logLevel=debug \
  --wait --timeout 5m
kc -n "${NAMESPACE}" rollout status "deployment/${RELEASE}" --timeout=180s

# selfSigned mode: the leader patches the caBundle into every webhook; until then the API server
# cannot call them.
ca_patched() {
  local kind bundles
  for kind in mutatingwebhookconfiguration validatingwebhookconfiguration; do
    # One line "x<caBundle>" per webhook: a bare "x" is a webhook still without one.
    bundles=$(kc get "${kind}" "${RELEASE}" -o jsonpath='{range .webhooks[*]}x{.clientConfig.caBundle}{"\n"}{end}') || return 1
    [[ -n "${bundles}" ]] || return 1
    if grep -qx 'x' <<<"${bundles}"; then return 1; fi
  done
}
wait_for 120 "the caBundle in both webhook configurations" ca_patched

# --- 4. examples --------------------------------------------------------------------------
log "applying the examples"
kc create namespace "${DEMO_NAMESPACE}" --dry-run=client -o yaml | kc apply -f -
# The examples name no namespace, so they land in the demo namespace.
kc -n "${DEMO_NAMESPACE}" apply -f "${REPO_ROOT}/examples/credentials.yaml"
kc -n "${DEMO_NAMESPACE}" apply -f "${REPO_ROOT}/examples/workloads.yaml"

# --- 5. injected --------------------------------------------------------------------------
wait_for 60 "pod ${DEMO_NAMESPACE}/${DEMO_POD}" kc -n "${DEMO_NAMESPACE}" get pod "${DEMO_POD}"
injected=$(kc -n "${DEMO_NAMESPACE}" get pod "${DEMO_POD}" -o jsonpath='{.metadata.annotations.credinject\.dev/status}')
[[ "${injected}" == injected ]] || die "pod ${DEMO_NAMESPACE}/${DEMO_POD} has credinject.dev/status='${injected}', want 'injected'"
log "ok: pod ${DEMO_NAMESPACE}/${DEMO_POD} is injected"
# The example images are placeholders, so the Pod is checked as stored, not for readiness.

# --- 6. deletion protection ---------------------------------------------------------------
# The first credential the Pod asks for.
wanted=$(kc -n "${DEMO_NAMESPACE}" get pod "${DEMO_POD}" -o jsonpath='{.metadata.annotations.credinject\.dev/inject}')
credential=${wanted%%,*}
credential=${credential//[[:space:]]/}
[[ -n "${credential}" ]] || die "pod ${DEMO_NAMESPACE}/${DEMO_POD} has no credinject.dev/inject annotation"
if out=$(kc -n "${DEMO_NAMESPACE}" delete secret "${credential}" --wait=false 2>&1); then
  die "deleting secret ${DEMO_NAMESPACE}/${credential}, in use by ${DEMO_POD}, was allowed: ${out}"
fi
grep -q 'secrets.validate.credinject.dev' <<<"${out}" \
  || die "deleting secret ${DEMO_NAMESPACE}/${credential} failed, but not by our webhook: ${out}"
log "ok: deleting ${DEMO_NAMESPACE}/${credential} was refused: ${out}"

status=0
printf 'e2e-kind: passed\n'
