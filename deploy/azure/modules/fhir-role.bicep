// FHIR Data Writer for the connector's identity on an existing Azure Health Data Services FHIR
// service (deployed at the FHIR service's resource group, which may be another one).

@description('The FHIR service\'s workspace name.')
param workspaceName string

@description('The FHIR service\'s name within the workspace.')
param fhirServiceName string

@description('Principal id of the connector\'s managed identity.')
param principalId string

var fhirDataWriter = '3f88fce4-5892-4214-ae73-ba5294559913' // FHIR Data Writer

resource fhirService 'Microsoft.HealthcareApis/workspaces/fhirservices@2023-11-01' existing = {
  name: '${workspaceName}/${fhirServiceName}'
}

resource writeFhir 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(fhirService.id, principalId, fhirDataWriter)
  scope: fhirService
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', fhirDataWriter)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
