{{/*
Checks across values that the schema cannot express, each failing with the key and the reason.
Included once, from deployment.yaml. Add new cross-value checks here.
*/}}
{{- define "credinject.validateValues" -}}
{{- if eq (int .Values.metrics.port) (int .Values.webhook.port) }}
{{- fail (printf "metrics.port must not be %d: the webhook server listens there (webhook.port)" (int .Values.webhook.port)) }}
{{- end }}
{{- $chartLabels := list "app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/version" "app.kubernetes.io/managed-by" "app.kubernetes.io/part-of" "helm.sh/chart" }}
{{- range $value := list "commonLabels" "podLabels" }}
{{- range $key, $_ := index $.Values $value }}
{{- if has $key $chartLabels }}
{{- fail (printf "%s must not set %s: the chart sets it (the selector and Helm's bookkeeping rely on it)" $value $key) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
