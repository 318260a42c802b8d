{{/* The chart's name. */}}
{{- define "iomt.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: names the Deployment, Service, ConfigMap, Secret, ... */}}
{{- define "iomt.fullname" -}}
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

{{- define "iomt.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "iomt.selectorLabels" -}}
app.kubernetes.io/name: {{ include "iomt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "iomt.labels" -}}
helm.sh/chart: {{ include "iomt.chart" . }}
{{ include "iomt.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: connector
{{- end }}

{{- define "iomt.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "iomt.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "iomt.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret whose keys are the pod's secret environment variables; empty for none. */}}
{{- define "iomt.secretName" -}}
{{- if .Values.secrets.existingSecret }}
{{- .Values.secrets.existingSecret }}
{{- else if eq (include "iomt.secretData" .) "{}" }}
{{- else }}
{{- include "iomt.fullname" . }}
{{- end }}
{{- end }}

{{/* The Secret the Key Vault CSI driver syncs the listed Key Vault secrets into. */}}
{{- define "iomt.keyVaultSecretName" -}}
{{- printf "%s-keyvault" (include "iomt.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The environment-variable prefix of a connector's settings: IOMT_CONNECTORS_<NAME>_, which Spring's
relaxed binding maps back to iomt.connectors.<name>. (dashes of the name are kept: Kubernetes allows
them in variable names).
*/}}
{{- define "iomt.connectorEnv" -}}
{{- printf "IOMT_CONNECTORS_%s_" (upper .) }}
{{- end }}

{{/*
The chart's Secret as a YAML map of environment variable -> value ("{}" when empty). Lists are
given whole here (Spring takes a list from one source only, never merged with application.yaml).
*/}}
{{- define "iomt.secretData" -}}
{{- $s := .Values.secrets }}
{{- $d := dict }}
{{- range $i, $k := $s.ingestApiKeys }}
{{- $_ := set $d (printf "IOMT_INGEST_API_KEYS_%d" $i) $k }}
{{- end }}
{{- range $i, $k := $s.managementApiKeys }}
{{- $_ := set $d (printf "IOMT_MANAGEMENT_API_KEYS_%d_NAME" $i) (required "secrets.managementApiKeys[].name is required" $k.name) }}
{{- $_ := set $d (printf "IOMT_MANAGEMENT_API_KEYS_%d_KEY" $i) (required "secrets.managementApiKeys[].key is required" $k.key) }}
{{- $_ := set $d (printf "IOMT_MANAGEMENT_API_KEYS_%d_ROLE" $i) (default "reader" $k.role) }}
{{- end }}
{{- with $s.azureClientSecret }}{{ $_ := set $d "IOMT_AZURE_CREDENTIAL_CLIENT_SECRET" . }}{{ end }}
{{- with $s.managementCheckpointsConnectionString }}{{ $_ := set $d "IOMT_MANAGEMENT_CHECKPOINTS_CONNECTION_STRING" . }}{{ end }}
{{- with $s.kafka.eventHubsConnectionString }}{{ $_ := set $d "IOMT_KAFKA_EVENT_HUBS_CONNECTION_STRING" . }}{{ end }}
{{- with $s.kafka.saslJaasConfig }}{{ $_ := set $d "IOMT_KAFKA_PROPERTIES_SASL_JAAS_CONFIG" . }}{{ end }}
{{- range $name, $c := $s.connectors }}
{{- if not (hasKey $.Values.iomt.connectors $name) }}
{{- fail (printf "secrets.connectors.%s: no connector %s in iomt.connectors" $name $name) }}
{{- end }}
{{- $p := include "iomt.connectorEnv" $name }}
{{- with $c.fhirClientSecret }}{{ $_ := set $d (print $p "FHIR_AUTH_CLIENT_SECRET") . }}{{ end }}
{{- with $c.fhirToken }}{{ $_ := set $d (print $p "FHIR_AUTH_TOKEN") . }}{{ end }}
{{- with $c.sourceConnectionString }}{{ $_ := set $d (print $p "SOURCE_CONNECTION_STRING") . }}{{ end }}
{{- with $c.checkpointsConnectionString }}{{ $_ := set $d (print $p "SOURCE_CHECKPOINTS_CONNECTION_STRING") . }}{{ end }}
{{- with $c.deadLetterConnectionString }}{{ $_ := set $d (print $p "DEAD_LETTERS_EVENT_HUB_CONNECTION_STRING") . }}{{ end }}
{{- end }}
{{- toYaml $d }}
{{- end }}

{{/* Whether a Secret holds the variable (chart-made, existing, or synced from Key Vault). */}}
{{- define "iomt.hasSecretEnv" -}}
{{- $ctx := index . 0 }}{{ $env := index . 1 }}
{{- $data := include "iomt.secretData" $ctx | fromYaml }}
{{- $found := or (hasKey $data $env) (not (empty $ctx.Values.secrets.existingSecret)) }}
{{- if $ctx.Values.keyVaultCsi.enabled }}
{{- range $ctx.Values.keyVaultCsi.objects }}{{ if eq .env $env }}{{ $found = true }}{{ end }}{{ end }}
{{- end }}
{{- if $found }}true{{ end }}
{{- end }}

{{/* A mapping setting's path: a file of `mappings` under mappingsMountPath, or an absolute path. */}}
{{- define "iomt.mappingPath" -}}
{{- $ctx := index . 0 }}{{ $at := index . 1 }}{{ $file := index . 2 }}
{{- if not $file }}
{{- fail (printf "%s: required (a file name of `mappings`, or an absolute path)" $at) }}
{{- else if hasPrefix "/" $file }}
{{- $file }}
{{- else if hasKey $ctx.Values.mappings $file }}
{{- printf "%s/%s" (trimSuffix "/" $ctx.Values.mappingsMountPath) $file }}
{{- else }}
{{- fail (printf "%s: '%s' is not a file of `mappings` (%s)" $at $file (keys $ctx.Values.mappings | sortAlpha | join ", ")) }}
{{- end }}
{{- end }}

{{/*
The application.yaml of the ConfigMap: springConfig, server.port, and iomt.* with the mapping
paths resolved and the data directory set.
*/}}
{{- define "iomt.applicationYaml" -}}
{{- if hasKey .Values.springConfig "iomt" }}
{{- fail "springConfig.iomt: put iomt.* settings under the `iomt` value" }}
{{- end }}
{{- $iomt := deepCopy .Values.iomt }}
{{- $_ := set $iomt "data-dir" .Values.dataDir }}
{{- $kafka := default dict $iomt.kafka }}
{{- range $k, $v := $kafka }}{{ if and (kindIs "string" $v) (empty $v) }}{{ $_ := unset $kafka $k }}{{ end }}{{ end }}
{{- if empty $kafka.properties }}{{ $_ := unset $kafka "properties" }}{{ end }}
{{- if empty $kafka }}{{ $_ := unset $iomt "kafka" }}{{ else }}{{ $_ := set $iomt "kafka" $kafka }}{{ end }}
{{- range $k := list "ingest" "azure" "management" }}
{{- if and (hasKey $iomt $k) (empty (get $iomt $k)) }}{{ $_ := unset $iomt $k }}{{ end }}
{{- end }}
{{- $connectors := dict }}
{{- range $name, $c := .Values.iomt.connectors }}
{{- if not (regexMatch "^[a-z0-9][a-z0-9-]{0,62}$" $name) }}
{{- fail (printf "iomt.connectors.%s: a connector name is lower-case letters, digits and '-'" $name) }}
{{- end }}
{{- $cc := deepCopy $c }}
{{- $_ := set $cc "device-mapping" (include "iomt.mappingPath" (list $ (printf "iomt.connectors.%s.device-mapping" $name) (get $c "device-mapping"))) }}
{{- $_ := set $cc "fhir-mapping" (include "iomt.mappingPath" (list $ (printf "iomt.connectors.%s.fhir-mapping" $name) (get $c "fhir-mapping"))) }}
{{- $_ := set $connectors $name $cc }}
{{- end }}
{{- if $connectors }}{{ $_ := set $iomt "connectors" $connectors }}{{ else }}{{ $_ := unset $iomt "connectors" }}{{ end }}
{{- $server := dict "port" .Values.containerPort }}
{{- $config := deepCopy .Values.springConfig }}
{{- $_ := set $config "server" (mergeOverwrite (default dict (get $config "server")) $server) }}
{{- $_ := set $config "iomt" $iomt }}
{{- toYaml $config }}
{{- end }}

{{/* The connector's source topic and normalized topic, as Connector.Topics defaults them. */}}
{{- define "iomt.sourceTopic" -}}
{{- $name := index . 0 }}{{ $c := index . 1 }}
{{- default (printf "%s-events" $name) (get $c "source-topic") }}
{{- end }}
{{- define "iomt.normalizedTopic" -}}
{{- $name := index . 0 }}{{ $c := index . 1 }}
{{- default (printf "%s-normalized" $name) (get $c "normalized-topic") }}
{{- end }}

{{/* The consumer group of a connector's stage, as Connector.groupId names it. */}}
{{- define "iomt.groupId" -}}
{{- printf "iomt-%s-%s" (index . 0) (index . 1) }}
{{- end }}

{{/* The partitions of a connector (IomtProperties.Connector's default: 4). */}}
{{- define "iomt.partitions" -}}
{{- $c := . }}
{{- if hasKey $c "partitions" }}{{ int (get $c "partitions") }}{{ else }}4{{ end }}
{{- end }}

{{/* Kafka bootstrap servers as the service derives them (bootstrap-servers, else <namespace>:9093). */}}
{{- define "iomt.bootstrapServers" -}}
{{- $k := default dict .Values.iomt.kafka }}
{{- if get $k "bootstrap-servers" }}
{{- get $k "bootstrap-servers" }}
{{- else if get $k "event-hubs-namespace" }}
{{- printf "%s:9093" (get $k "event-hubs-namespace") }}
{{- end }}
{{- end }}
