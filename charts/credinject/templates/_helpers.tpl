{{/*
Names. fullname is the release name when it already contains the chart name ("credinject"),
otherwise <release>-credinject; every object of the release is named from it.
*/}}
{{- define "credinject.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "credinject.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Secret with the serving certificate (written by the server, cert-manager, or you). */}}
{{- define "credinject.tlsSecretName" -}}
{{- if eq .Values.tls.mode "existingSecret" }}
{{- required "tls.existingSecret.name is required when tls.mode=existingSecret" .Values.tls.existingSecret.name }}
{{- else }}
{{- printf "%s-tls" (include "credinject.fullname" .) }}
{{- end }}
{{- end }}

{{/* The cert-manager Certificate for the serving certificate; the CA injector reads its CA. */}}
{{- define "credinject.servingCertName" -}}
{{- printf "%s-serving" (include "credinject.fullname" .) }}
{{- end }}

{{/*
Labels of every object: the chart's own, then commonLabels (the schema refuses commonLabels that
would override the chart's).
*/}}
{{- define "credinject.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "credinject.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: credinject
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "credinject.selectorLabels" -}}
app.kubernetes.io/name: {{ include "credinject.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of the server pods: the selector labels, commonLabels and podLabels (podLabels win over
commonLabels; neither may set a selector label, which the schema refuses).
*/}}
{{- define "credinject.podLabels" -}}
{{- $labels := merge (include "credinject.selectorLabels" . | fromYaml) (deepCopy .Values.podLabels) .Values.commonLabels -}}
{{- toYaml $labels }}
{{- end }}

{{/* The server's ServiceAccount: created by the chart, or an existing one (serviceAccount.name). */}}
{{- define "credinject.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "credinject.fullname" .) }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create=false: name the existing ServiceAccount the chart's RBAC binds" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The server image: by digest when image.digest is set, else by tag (default appVersion). */}}
{{- define "credinject.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{- define "credinject.agentImage" -}}
{{- .Values.agent.image | default (include "credinject.image" .) }}
{{- end }}

{{- define "credinject.agentImagePullPolicy" -}}
{{- .Values.agent.imagePullPolicy | default .Values.image.pullPolicy }}
{{- end }}

{{/* A namespace value of a monitoring object: its own, or the release namespace. */}}
{{- define "credinject.namespaceOr" -}}
{{- .namespace | default .root.Release.Namespace }}
{{- end }}

{{/*
The CEL matchConditions of the webhooks: the API server sends a request only when the object
carries an annotation that asks credinject for something (credinject.dev/inject, or
credinject.dev/render alone, which implies inject) where that kind keeps it. The keys are the
engine's (src/engine/injectionRequest.ts, requestKeys), and a test holds the two together. `object` is untyped in
webhook matchConditions, so has() on a field a kind does not have is false, not an error; but
selecting through a missing field is an error, and an error with failurePolicy Fail rejects the
request: every level is guarded with has().
*/}}
{{- define "credinject.cel.onObject" -}}
has(object.metadata) && has(object.metadata.annotations) && ('credinject.dev/inject' in object.metadata.annotations || 'credinject.dev/render' in object.metadata.annotations)
{{- end }}

{{- define "credinject.cel.onPodTemplate" -}}
has(object.spec) && has(object.spec.template) && has(object.spec.template.metadata) && has(object.spec.template.metadata.annotations) && ('credinject.dev/inject' in object.spec.template.metadata.annotations || 'credinject.dev/render' in object.spec.template.metadata.annotations)
{{- end }}

{{- define "credinject.cel.onJobTemplatePodTemplate" -}}
has(object.spec) && has(object.spec.jobTemplate) && has(object.spec.jobTemplate.spec) && has(object.spec.jobTemplate.spec.template) && has(object.spec.jobTemplate.spec.template.metadata) && has(object.spec.jobTemplate.spec.template.metadata.annotations) && ('credinject.dev/inject' in object.spec.jobTemplate.spec.template.metadata.annotations || 'credinject.dev/render' in object.spec.jobTemplate.spec.template.metadata.annotations)
{{- end }}

{{/*
Whether a pod spec references a Secret by hand: secretKeyRef, envFrom secretRef, Secret and projected
Secret volumes, imagePullSecrets, in containers and init containers (the fields of
src/engine/secretReferences.ts; ephemeral containers cannot be set at CREATE, and the webhooks do not
see the ephemeralcontainers subresource). Call with the spec's path ("object.spec",
"object.spec.template.spec", …); every level is guarded.
*/}}
{{- define "credinject.cel.specReferencesSecret" -}}
{{- $spec := . -}}
{{- $parts := splitList "." $spec -}}
{{- $guards := list -}}
{{- range $i, $_ := $parts }}{{ if gt $i 0 }}{{ $guards = append $guards (printf "has(%s)" (join "." (slice $parts 0 (add1 $i)))) }}{{ end }}{{ end -}}
{{- $lists := list -}}
{{- range (list "containers" "initContainers") }}
{{- $lists = append $lists (printf "(has(%s.%s) && %s.%s.exists(c, (has(c.envFrom) && c.envFrom.exists(e, has(e.secretRef))) || (has(c.env) && c.env.exists(e, has(e.valueFrom) && has(e.valueFrom.secretKeyRef)))))" $spec . $spec .) }}
{{- end -}}
{{- $volumes := printf "(has(%s.volumes) && %s.volumes.exists(v, has(v.secret) || (has(v.projected) && has(v.projected.sources) && v.projected.sources.exists(p, has(p.secret)))))" $spec $spec -}}
{{- $pull := printf "(has(%s.imagePullSecrets) && size(%s.imagePullSecrets) > 0)" $spec $spec -}}
{{- printf "%s && (%s || %s || %s)" (join " && " $guards) (join " || " $lists) $volumes $pull -}}
{{- end }}

{{/*
Fields every webhook shares. Call with (dict "root" $ "path" "/mutate"); add
"seesReleaseNamespace" true for a webhook that must see the release namespace too.
*/}}
{{- define "credinject.webhookCommon" -}}
{{- $root := .root -}}
admissionReviewVersions: ["v1"]
sideEffects: None
matchPolicy: Equivalent
timeoutSeconds: {{ $root.Values.webhook.timeoutSeconds }}
clientConfig:
  {{- if $root.Values.webhook.url }}
  url: {{ printf "%s%s" (trimSuffix "/" $root.Values.webhook.url) .path | quote }}
  {{- else }}
  service:
    name: {{ include "credinject.fullname" $root }}
    namespace: {{ $root.Release.Namespace }}
    path: {{ .path | quote }}
    port: 443
  {{- end }}
  {{- with $root.Values.webhook.caBundle }}
  caBundle: {{ . | quote }}
  {{- end }}
namespaceSelector:
  {{- include "credinject.namespaceSelector" . | nindent 2 }}
{{- end }}

{{/*
The namespaces a webhook or the guard acts in: never kube-system, the release namespace (unless
"seesReleaseNamespace") or excludedNamespaces. Call with (dict "root" $); add "optedIn" "In" for
only the namespaces labelled credinject.dev/injection=enabled, "NotIn" for only the others.
*/}}
{{- define "credinject.namespaceSelector" -}}
{{- $root := .root -}}
{{- $own := ternary (list) (list $root.Release.Namespace) (default false .seesReleaseNamespace) -}}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values:
      {{- range (concat (list "kube-system") $own $root.Values.excludedNamespaces) | uniq }}
      - {{ . | quote }}
      {{- end }}
  {{- with .optedIn }}
  - key: credinject.dev/injection
    operator: {{ . }}
    values: ["enabled"]
  {{- end }}
{{- end }}

{{/* Annotations of both webhook configurations. */}}
{{- define "credinject.webhookConfigAnnotations" -}}
{{- $annotations := deepCopy .Values.webhook.annotations -}}
{{- if eq .Values.tls.mode "certManager" }}
{{- $_ := set $annotations "cert-manager.io/inject-ca-from" (printf "%s/%s" .Release.Namespace (include "credinject.servingCertName" .)) }}
{{- end }}
{{- with $annotations -}}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/*
Labels of the `helm test` objects: like credinject.labels, but another app.kubernetes.io/name, so
the server's Service and Deployment never select the test Pod.
*/}}
{{- define "credinject.testLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ printf "%s-test" (include "credinject.name" .) | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: helm-test
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: credinject
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}
