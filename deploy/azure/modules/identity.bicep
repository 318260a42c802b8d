// The connector's user-assigned managed identity. Its role assignments are made next to the
// resources they grant access to (eventhubs.bicep, storage.bicep, keyvault.bicep, fhir-role.bicep),
// each at the narrowest scope.

@description('Azure region.')
param location string

@description('Name of the managed identity.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
