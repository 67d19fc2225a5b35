{{/*
Flags of `credinject serve`, one list item each. Add a flag for a new value here (next to the
value's neighbours); extraArgs come last so a user can add flags the chart does not know yet.
*/}}
{{- define "credinject.serverArgs" -}}
{{- $fullname := include "credinject.fullname" . -}}
- serve
- --port
- {{ .Values.webhook.port | quote }}
- --metrics-port
- {{ .Values.metrics.port | quote }}
- --log-level
- {{ .Values.logLevel | quote }}
- --agent-image
- {{ include "credinject.agentImage" . | quote }}
- --agent-image-pull-policy
- {{ include "credinject.agentImagePullPolicy" . | quote }}
- --sidecar-mode
- {{ .Values.agent.sidecarMode | quote }}
- --agent-cpu-request
- {{ .Values.agent.resources.requests.cpu | quote }}
- --agent-memory-request
- {{ .Values.agent.resources.requests.memory | quote }}
{{- with .Values.agent.resources.limits.cpu }}
- --agent-cpu-limit
- {{ . | quote }}
{{- end }}
- --agent-memory-limit
- {{ .Values.agent.resources.limits.memory | quote }}
- --agent-min-cpu
- {{ .Values.agent.bounds.cpu.min | quote }}
- --agent-max-cpu
- {{ .Values.agent.bounds.cpu.max | quote }}
- --agent-min-memory
- {{ .Values.agent.bounds.memory.min | quote }}
- --agent-max-memory
- {{ .Values.agent.bounds.memory.max | quote }}
- --agent-run-as-user
- {{ .Values.agent.runAsUser | quote }}
{{- if eq .Values.tls.mode "selfSigned" }}
- --self-signed
- --tls-secret-name
- {{ include "credinject.tlsSecretName" . | quote }}
- --service-name
- {{ $fullname | quote }}
- --mutating-webhook-config
- {{ $fullname | quote }}
- --validating-webhook-config
- {{ $fullname | quote }}
{{- else }}
- --tls-cert
- /etc/credinject/tls/tls.crt
- --tls-key
- /etc/credinject/tls/tls.key
{{- end }}
- --expiry-warning
- {{ .Values.expiry.warning | quote }}
{{- if .Values.expiry.denyExpired }}
- --deny-expired
{{- end }}
{{- if .Values.mirroring.enabled }}
- --mirror-cluster-credentials
- --mirror-resync
- {{ .Values.mirroring.resyncSeconds | quote }}
{{- end }}
{{- if .Values.rotation.enabled }}
- --rotate-workloads
- --rotation-default-action
- {{ .Values.rotation.defaultAction | quote }}
- --rotation-quiet-period
- {{ .Values.rotation.quietPeriodSeconds | quote }}
- --rotation-qps
- {{ .Values.rotation.qps | quote }}
- --rotation-burst
- {{ .Values.rotation.burst | quote }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}

{{/*
topologySpreadConstraints of the server pods: the user's, each given the pods' selector labels when
it has no labelSelector; or, by default, a soft spread over nodes.
*/}}
{{- define "credinject.topologySpreadConstraints" -}}
{{- $selector := dict "matchLabels" (include "credinject.selectorLabels" . | fromYaml) -}}
{{- if .Values.topologySpreadConstraints }}
{{- range .Values.topologySpreadConstraints }}
{{- $constraint := deepCopy . }}
{{- if not (hasKey $constraint "labelSelector") }}
{{- $_ := set $constraint "labelSelector" $selector }}
{{- end }}
- {{ toYaml $constraint | nindent 2 | trim }}
{{- end }}
{{- else }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    {{- toYaml $selector | nindent 4 }}
  # Count only the pods of the current ReplicaSet, so a rollout spreads too.
  matchLabelKeys: ["pod-template-hash"]
{{- end }}
{{- end }}
