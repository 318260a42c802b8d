// The Azure resources around the IoMT connector (docs/deploy-azure.md): Event Hubs, Blob Storage for
// checkpoints, Key Vault, a user-assigned managed identity with the connector's role assignments,
// and the compute: AKS (for the Helm chart in deploy/helm/iomt-connector) or Container Apps.
// Deployed at resource-group scope. Checked by iomt-deploy's AzureTemplatesTest (a structural
// check: no Bicep compiler runs where this project is built).

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Prefix of every resource name: starts with a letter; letters, digits and \'-\'.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'iomt'

@description('The connector\'s name: lowercase letters and digits. Names its settings (iomt.connectors.<name>), its checkpoint container (iomt-<name>) and its internal hubs (<name>-normalized, <name>-errors).')
@minLength(1)
@maxLength(40)
param connectorName string = 'icu'

@description('The hub the devices send to.')
param eventHubName string = 'telemetry'

@description('Partitions of the hub and of the normalized topic: the most replicas that share the work (KEDA\'s maximum).')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('The connector\'s own consumer group (not $Default: a consumer group is read by one application).')
param consumerGroupName string = 'iomt'

@description('Days the hub keeps events (1-7 on Standard).')
@minValue(1)
@maxValue(7)
param retentionDays int = 1

@description('Keep Event Hubs SAS keys usable (an IoT Hub route or a SAS client needs them). Default: Entra ID only.')
param eventHubsLocalAuthEnabled bool = false

@description('Allow Storage account keys (a connection-string client needs them). Default: Entra ID only.')
param storageSharedKeyAccessEnabled bool = false

@description('Resource id of an Azure Health Data Services FHIR service (/subscriptions/.../workspaces/<ws>/fhirservices/<fhir>): the identity gets FHIR Data Writer on it, and its URL is derived. Empty: give fhirUrl and grant access yourself.')
param fhirServiceId string = ''

@description('The FHIR server\'s base URL; overrides the one derived from fhirServiceId.')
param fhirUrl string = ''

@description('Where the connector runs: aks (install the Helm chart afterwards) or containerapps (deployed here).')
@allowed([
  'aks'
  'containerapps'
])
param compute string = 'aks'

@description('containerapps: the service image, e.g. myregistry.azurecr.io/iomt-service:0.1.0.')
param image string = ''

@description('containerapps: registry to pull the image from with the identity (give it AcrPull there); empty for a public image.')
param registryServer string = ''

@description('containerapps: replicas kept running (0: scale to zero when the hub is idle).')
@minValue(0)
param minReplicas int = 1

@description('containerapps: expose port 8080 outside the environment.')
param externalIngress bool = false

@description('containerapps: the MedTech device mapping (CollectionContent), e.g. deviceMapping=@devicecontent.json.')
param deviceMapping object = {}

@description('containerapps: the MedTech FHIR destination mapping (CollectionFhir), e.g. fhirMapping=@fhirmapping.json.')
param fhirMapping object = {}

@description('aks: nodes of the cluster.')
@minValue(1)
@maxValue(100)
param aksNodeCount int = 2

@description('aks: VM size of the nodes.')
param aksNodeVmSize string = 'Standard_D4ds_v5'

@description('aks: the Kubernetes namespace of the Helm release (the chart\'s default).')
param serviceAccountNamespace string = 'iomt'

@description('aks: the chart\'s service account (its default name).')
param serviceAccountName string = 'iomt-connector'

@secure()
@description('The HTTP ingest key (16+ random characters), stored in the Key Vault: the service requires one even when it reads an Event Hub.')
@minLength(16)
param ingestApiKey string

var suffix = uniqueString(resourceGroup().id)
var checkpointContainerName = 'iomt-${connectorName}'
var ingestKeySecretName = 'iomt-ingest-key'
var placeholderFhirId = '/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}/providers/Microsoft.HealthcareApis/workspaces/none/fhirservices/none'
var fhirIdParts = split(empty(fhirServiceId) ? placeholderFhirId : fhirServiceId, '/')
var derivedFhirUrl = 'https://${fhirIdParts[8]}-${fhirIdParts[10]}.fhir.azurehealthcareapis.com'
var effectiveFhirUrl = !empty(fhirUrl) ? fhirUrl : (empty(fhirServiceId) ? '' : derivedFhirUrl)

module identity 'modules/identity.bicep' = {
  name: 'iomt-identity'
  params: {
    location: location
    name: '${namePrefix}-connector'
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'iomt-eventhubs'
  params: {
    location: location
    namespaceName: '${namePrefix}-${suffix}'
    eventHubName: eventHubName
    partitionCount: partitionCount
    retentionDays: retentionDays
    consumerGroupName: consumerGroupName
    normalizedHubName: '${connectorName}-normalized'
    errorsHubName: '${connectorName}-errors'
    localAuthEnabled: eventHubsLocalAuthEnabled
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'iomt-storage'
  params: {
    location: location
    accountName: take(toLower('${replace(namePrefix, '-', '')}${suffix}'), 24)
    containerName: checkpointContainerName
    sharedKeyAccessEnabled: storageSharedKeyAccessEnabled
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'iomt-keyvault'
  params: {
    location: location
    vaultName: '${namePrefix}-kv-${suffix}'
    ingestKeySecretName: ingestKeySecretName
    ingestKey: ingestApiKey
    principalId: identity.outputs.principalId
  }
}

module fhirRole 'modules/fhir-role.bicep' = if (!empty(fhirServiceId)) {
  name: 'iomt-fhir-role'
  scope: resourceGroup(fhirIdParts[2], fhirIdParts[4])
  params: {
    workspaceName: fhirIdParts[8]
    fhirServiceName: fhirIdParts[10]
    principalId: identity.outputs.principalId
  }
}

module aks 'modules/aks.bicep' = if (compute == 'aks') {
  name: 'iomt-aks'
  params: {
    location: location
    clusterName: '${namePrefix}-aks'
    nodeCount: aksNodeCount
    nodeVmSize: aksNodeVmSize
    identityName: identity.outputs.name
    serviceAccountNamespace: serviceAccountNamespace
    serviceAccountName: serviceAccountName
  }
}

module containerApp 'modules/containerapp.bicep' = if (compute == 'containerapps') {
  name: 'iomt-containerapp'
  params: {
    location: location
    environmentName: '${namePrefix}-env'
    appName: '${namePrefix}-connector'
    image: image
    registryServer: registryServer
    minReplicas: minReplicas
    maxReplicas: partitionCount
    externalIngress: externalIngress
    connectorName: connectorName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    eventHubNamespaceFqdn: eventHubs.outputs.fullyQualifiedNamespace
    eventHubNamespaceName: eventHubs.outputs.namespaceName
    eventHubName: eventHubs.outputs.eventHubName
    consumerGroupName: eventHubs.outputs.consumerGroupName
    normalizedHubName: eventHubs.outputs.normalizedHubName
    errorsHubName: eventHubs.outputs.errorsHubName
    storageAccountName: storage.outputs.accountName
    checkpointContainerName: storage.outputs.containerName
    checkpointContainerUrl: storage.outputs.containerUrl
    keyVaultName: keyVault.outputs.name
    ingestKeySecretName: keyVault.outputs.ingestKeySecretName
    fhirUrl: effectiveFhirUrl
    deviceMapping: deviceMapping
    fhirMapping: fhirMapping
  }
}

@description('iomt.connectors.<name>: the connector these resources serve.')
output connectorName string = connectorName
@description('source.fully-qualified-event-hub-namespace, and iomt.kafka.event-hubs-namespace for the internal topics.')
output eventHubNamespaceFqdn string = eventHubs.outputs.fullyQualifiedNamespace
@description('KEDA azure-eventhub: eventHubNamespace.')
output eventHubNamespaceName string = eventHubs.outputs.namespaceName
@description('source.event-hub-name.')
output eventHubName string = eventHubs.outputs.eventHubName
@description('source.consumer-group.')
output consumerGroupName string = eventHubs.outputs.consumerGroupName
@description('normalized-topic: a hub of the namespace, read over its Kafka endpoint.')
output normalizedTopic string = eventHubs.outputs.normalizedHubName
@description('error-topic.')
output errorTopic string = eventHubs.outputs.errorsHubName
@description('KEDA azure-eventhub: storageAccountName.')
output storageAccountName string = storage.outputs.accountName
@description('The account\'s blob endpoint (iomt.management.checkpoints.blob-endpoint).')
output storageBlobEndpoint string = storage.outputs.blobEndpoint
@description('KEDA azure-eventhub: blobContainer.')
output checkpointContainerName string = storage.outputs.containerName
@description('source.checkpoints.container-url.')
output checkpointContainerUrl string = storage.outputs.containerUrl
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.uri
@description('A value for iomt.ingest.api-keys[0]: the service reads the key from the vault.')
output ingestApiKeyReference string = '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=${keyVault.outputs.ingestKeySecretName})'
@description('iomt.azure.credential.client-id, and the service account\'s azure.workload.identity/client-id annotation.')
output identityClientId string = identity.outputs.clientId
output identityResourceId string = identity.outputs.id
@description('iomt.azure.credential.tenant-id (workload identity).')
output tenantId string = identity.outputs.tenantId
@description('fhir.url (empty when neither fhirServiceId nor fhirUrl was given).')
output fhirUrl string = effectiveFhirUrl
output aksClusterName string = compute == 'aks' ? aks.outputs.name : ''
output aksOidcIssuerUrl string = compute == 'aks' ? aks.outputs.oidcIssuerUrl : ''
output containerAppFqdn string = compute == 'containerapps' ? containerApp.outputs.fqdn : ''
