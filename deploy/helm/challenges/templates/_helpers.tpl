{{- define "challenges.labels" -}}
app.kubernetes.io/name: challenges
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{- define "challenges.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end }}

{{- define "challenges.secretName" -}}
{{ .Values.existingSecret | default (printf "%s-env" .Release.Name) }}
{{- end }}

{{- define "challenges.apiSecretName" -}}
{{ .Values.api.existingSecret | default (printf "%s-api-env" .Release.Name) }}
{{- end }}
