{{/* Labels every object carries; `component` names the part. */}}
{{- define "polyphony.labels" -}}
app.kubernetes.io/name: polyphony
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end -}}

{{/* The labels a Service, PodDisruptionBudget or Deployment selects a part's pods by. */}}
{{- define "polyphony.selector" -}}
app.kubernetes.io/name: polyphony
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* An environment variable from the chart's Secret. */}}
{{- define "polyphony.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.secrets.name }}
      key: {{ .key }}
{{- end -}}

{{/* The image of a part. */}}
{{- define "polyphony.image" -}}
image: {{ printf "%s:%s" .image.repository .image.tag | quote }}
imagePullPolicy: {{ .image.pullPolicy }}
{{- end -}}

{{/* Containers run as a user, read-only, without privileges. */}}
{{- define "polyphony.securityContext" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: [ALL]
{{- end -}}
