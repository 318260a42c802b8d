// Event Hubs: a Standard namespace (TLS 1.2, Entra ID only unless local auth is asked for), the hub
// the devices send to with the connector's consumer group, and the connector's internal topics as
// hubs of the same namespace (read over its Kafka endpoint, so every replica shares them).
// The identity may receive from the source hub, and send to and receive from the internal hubs.

@description('Azure region.')
param location string

@description('Namespace name (globally unique, 6-50 characters).')
param namespaceName string

@description('The hub the devices send to.')
param eventHubName string

@description('Partitions of the source hub and of the normalized hub: the most replicas that share the work.')
@minValue(1)
@maxValue(32)
param partitionCount int

@description('Days the source hub keeps events (Standard: 1-7).')
@minValue(1)
@maxValue(7)
param retentionDays int = 1

@description('The connector\'s own consumer group on the source hub.')
param consumerGroupName string

@description('The connector\'s normalized topic, made as a hub with partitionCount partitions (keyed by device id).')
param normalizedHubName string

@description('The connector\'s error topic (dead letters), made as a hub with 1 partition.')
param errorsHubName string

@description('Keep SAS keys usable (needed by an IoT Hub route or a SAS client). Off: Entra ID only.')
param localAuthEnabled bool = false

@description('Principal id of the connector\'s managed identity.')
param principalId string

var dataReceiver = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde' // Azure Event Hubs Data Receiver
var dataSender = '2b629674-e913-4c01-ae53-ef4638d8f975' // Azure Event Hubs Data Sender

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  sku: {
    name: 'Standard' // the Kafka endpoint the internal topics are read through
    tier: 'Standard'
    capacity: 1
  }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: !localAuthEnabled
    kafkaEnabled: true
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
}

resource normalizedHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: normalizedHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionDays
  }
}

resource errorsHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: errorsHubName
  properties: {
    partitionCount: 1
    messageRetentionInDays: 7
  }
}

resource receiveSource 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hub.id, principalId, dataReceiver)
  scope: hub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource sendNormalized 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(normalizedHub.id, principalId, dataSender)
  scope: normalizedHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource receiveNormalized 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(normalizedHub.id, principalId, dataReceiver)
  scope: normalizedHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource sendErrors 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(errorsHub.id, principalId, dataSender)
  scope: errorsHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource receiveErrors 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(errorsHub.id, principalId, dataReceiver)
  scope: errorsHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Host name of the namespace, e.g. contoso.servicebus.windows.net.')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
output namespaceName string = namespace.name
output eventHubName string = hub.name
output consumerGroupName string = consumerGroup.name
output normalizedHubName string = normalizedHub.name
output errorsHubName string = errorsHub.name
