# shellcheck shell=bash
# Sourced by the build-and-cache scripts (envtest.sh, helm.sh), after they define log().
# hold_cache_lock ROOT CHECK...: one build at a time under ROOT. A second caller waits for the
# first; if CHECK (a command) then finds the cache complete, there is nothing left to build and the
# caller returns 0 ("done"). Otherwise it clears leftovers of builds killed hard (SIGKILL skips
# their cleanup trap) and returns 1 ("build now"), still holding the lock on fd 9.
hold_cache_lock() {
  local root=$1
  shift
  command -v flock >/dev/null 2>&1 || return 1
  exec 9>"${root}/.lock"
  if ! flock -n 9; then
    log "another build holds ${root}/.lock; waiting for it"
    flock 9
  fi
  if "$@"; then return 0; fi
  rm -rf "${root}"/.build-*
  return 1
}
