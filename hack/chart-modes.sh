# shellcheck shell=bash
# Sourced by hack/check-deploy.sh and hack/lint.sh: the chart's modes are its defaults plus every
# charts/credinject/ci/<name>-values.yaml (chart-testing's convention), so a new values file is
# checked and linted without touching either script.
#
# chart_modes CHART            prints the mode names, one a line: default first, then the ci/ files
# chart_mode_values CHART NAME prints the values file of mode NAME (nothing for default)
chart_modes() {
  local file
  printf '%s\n' default
  for file in "$1"/ci/*-values.yaml; do
    [[ -e "${file}" ]] && basename "${file}" -values.yaml
  done
}
chart_mode_values() {
  [[ "$2" == default ]] || printf '%s\n' "$1/ci/$2-values.yaml"
}
