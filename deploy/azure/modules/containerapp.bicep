// Container Apps: an environment and the connector's app, run as the user-assigned identity,
// configured entirely by IOMT_* environment variables (Spring's relaxed names of iomt.*), and
// scaled by the KEDA azure-eventhub rule on the checkpoints in Blob metadata, up to one replica
// per partition. The mappings are app secrets mounted as files under /config.

@description('Azure region.')
param location string

@description('Name of the Container Apps environment.')
param environmentName string

@description('Name of the container app.')
param appName string

@description('The service image, e.g. myregistry.azurecr.io/iomt-service:0.1.0.')
param image string

@description('Registry server to pull the image with the identity (it needs AcrPull there); empty for a public image.')
param registryServer string = ''

@description('CPU cores of a replica (Consumption: 0.25-4, memory = 2 GiB per core).')
param cpu string = '1.0'

@description('Memory of a replica.')
param memory string = '2Gi'

@description('Replicas kept running (0 lets the app scale to zero when the hub is idle).')
@minValue(0)
param minReplicas int = 1

@description('The most replicas: one per partition, more would sit idle.')
@minValue(1)
param maxReplicas int

@description('Unprocessed events per partition above which KEDA adds a replica.')
@minValue(1)
param unprocessedEventThreshold int = 1000

@description('Expose port 8080 (ingest, health, metrics) outside the environment.')
param externalIngress bool = false

@description('Connector name: lowercase letters and digits (it becomes part of IOMT_CONNECTORS_<NAME>_* variable names).')
param connectorName string

@description('Resource id of the connector\'s user-assigned identity.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Event Hubs namespace host name, e.g. contoso.servicebus.windows.net.')
param eventHubNamespaceFqdn string

@description('Event Hubs namespace name (KEDA\'s eventHubNamespace).')
param eventHubNamespaceName string

@description('The source hub.')
param eventHubName string

@description('The connector\'s consumer group on the source hub.')
param consumerGroupName string

@description('The internal normalized topic (a hub of the same namespace).')
param normalizedHubName string

@description('The internal error topic (a hub of the same namespace).')
param errorsHubName string

@description('Storage account holding the checkpoints.')
param storageAccountName string

@description('The checkpoint container.')
param checkpointContainerName string

@description('The checkpoint container\'s URL.')
param checkpointContainerUrl string

@description('Key Vault holding the HTTP ingest key.')
param keyVaultName string

@description('Name of the secret holding the HTTP ingest key.')
param ingestKeySecretName string

@description('The FHIR server\'s base URL.')
param fhirUrl string

@description('The MedTech device mapping (CollectionContent) as JSON.')
param deviceMapping object

@description('The MedTech FHIR destination mapping (CollectionFhir) as JSON.')
param fhirMapping object

var connectorEnv = 'IOMT_CONNECTORS_${toUpper(connectorName)}'
var mappingDir = '/config'

resource appEnvironment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  properties: {
    zoneRedundant: false
  }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: appEnvironment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: externalIngress
        targetPort: 8080
        transport: 'auto'
      }
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
      secrets: [
        {
          name: 'device-mapping'
          value: string(deviceMapping)
        }
        {
          name: 'fhir-mapping'
          value: string(fhirMapping)
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'iomt'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: [
            { name: 'IOMT_DATA_DIR', value: '/var/lib/iomt' }
            { name: 'IOMT_MANAGEMENT_ENABLED', value: 'false' }
            { name: 'IOMT_KAFKA_EVENT_HUBS_NAMESPACE', value: eventHubNamespaceFqdn }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'IOMT_AZURE_CREDENTIAL_TYPE', value: 'managed-identity' }
            { name: 'IOMT_AZURE_CREDENTIAL_CLIENT_ID', value: identityClientId }
            { name: 'IOMT_AZURE_KEY_VAULT_DNS_SUFFIX', value: substring(az.environment().suffixes.keyvaultDns, 1) }
            { name: 'IOMT_INGEST_API_KEYS_0', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${ingestKeySecretName})' }
            { name: '${connectorEnv}_DEVICE_MAPPING', value: '${mappingDir}/device-mapping.json' }
            { name: '${connectorEnv}_FHIR_MAPPING', value: '${mappingDir}/fhir-mapping.json' }
            { name: '${connectorEnv}_PARTITIONS', value: string(maxReplicas) }
            { name: '${connectorEnv}_NORMALIZED_TOPIC', value: normalizedHubName }
            { name: '${connectorEnv}_ERROR_TOPIC', value: errorsHubName }
            { name: '${connectorEnv}_SOURCE_TYPE', value: 'event-hubs' }
            { name: '${connectorEnv}_SOURCE_FULLY_QUALIFIED_EVENT_HUB_NAMESPACE', value: eventHubNamespaceFqdn }
            { name: '${connectorEnv}_SOURCE_EVENT_HUB_NAME', value: eventHubName }
            { name: '${connectorEnv}_SOURCE_CONSUMER_GROUP', value: consumerGroupName }
            { name: '${connectorEnv}_SOURCE_CHECKPOINTS_CONTAINER_URL', value: checkpointContainerUrl }
            { name: '${connectorEnv}_FHIR_URL', value: fhirUrl }
            { name: '${connectorEnv}_FHIR_AUTH_TYPE', value: 'azure' }
          ]
          volumeMounts: [
            {
              volumeName: 'mappings'
              mountPath: mappingDir
            }
            {
              volumeName: 'data'
              mountPath: '/var/lib/iomt'
            }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/actuator/health/liveness'
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/actuator/health/liveness'
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/actuator/health/readiness'
                port: 8080
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: [
        {
          name: 'mappings'
          storageType: 'Secret'
          secrets: [
            {
              secretRef: 'device-mapping'
              path: 'device-mapping.json'
            }
            {
              secretRef: 'fhir-mapping'
              path: 'fhir-mapping.json'
            }
          ]
        }
        {
          name: 'data'
          storageType: 'EmptyDir'
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'event-hub-lag'
            custom: {
              type: 'azure-eventhub'
              identity: identityId
              metadata: {
                eventHubNamespace: eventHubNamespaceName
                eventHubName: eventHubName
                consumerGroup: consumerGroupName
                storageAccountName: storageAccountName
                blobContainer: checkpointContainerName
                checkpointStrategy: 'blobMetadata'
                unprocessedEventThreshold: string(unprocessedEventThreshold)
              }
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
@description('The app\'s host name (inside the environment unless externalIngress).')
output fqdn string = app.properties.configuration.ingress.fqdn
