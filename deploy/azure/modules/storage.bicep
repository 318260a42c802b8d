// Blob Storage for the Event Hubs checkpoints and partition ownership: an account without public
// blob access or shared keys (Entra ID only, unless shared keys are asked for), and the container,
// on which alone the identity gets Storage Blob Data Contributor.

@description('Azure region.')
param location string

@description('Storage account name (globally unique, 3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param accountName string

@description('The checkpoint container (the service\'s rule: iomt-<connector>).')
param containerName string

@description('Allow account keys and SAS (needed by a connection-string client). Off: Entra ID only.')
param sharedKeyAccessEnabled bool = false

@description('Principal id of the connector\'s managed identity.')
param principalId string

var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: sharedKeyAccessEnabled
    defaultToOAuthAuthentication: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

resource writeCheckpoints 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, principalId, blobDataContributor)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output accountName string = account.name
@description('e.g. https://contosostate.blob.core.windows.net/ (with the trailing slash Azure gives).')
output blobEndpoint string = account.properties.primaryEndpoints.blob
output containerName string = container.name
@description('What iomt.connectors.<name>.source.checkpoints.container-url takes.')
output containerUrl string = '${account.properties.primaryEndpoints.blob}${container.name}'
