// Key Vault for the secrets the service reads by reference (@Microsoft.KeyVault(...)): RBAC
// authorization (no access policies), soft delete and purge protection on. It holds the HTTP
// ingest key, which the service requires even when the connector reads an Event Hub.

@description('Azure region.')
param location string

@description('Vault name (globally unique, 3-24 characters).')
@minLength(3)
@maxLength(24)
param vaultName string

@description('Days a deleted vault or secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionDays int = 90

@description('Name of the secret holding the HTTP ingest key.')
param ingestKeySecretName string

@secure()
@description('The HTTP ingest key (16+ characters).')
@minLength(16)
param ingestKey string

@description('Principal id of the connector\'s managed identity.')
param principalId string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource ingestKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: ingestKeySecretName
  properties: {
    value: ingestKey
    contentType: 'text/plain'
  }
}

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
@description('e.g. https://contoso-kv.vault.azure.net/')
output uri string = vault.properties.vaultUri
output ingestKeySecretName string = ingestKeySecret.name
