// AKS for the Helm chart (deploy/helm/iomt-connector): the KEDA add-on, the OIDC issuer and
// workload identity, and two federated credentials on the connector's identity: one for the
// chart's service account (the pods), one for the KEDA add-on's operator (the azure-eventhub
// scaler reads the hub and the checkpoint blobs with the same identity).

@description('Azure region.')
param location string

@description('Cluster name.')
param clusterName string

@description('Nodes of the system pool (the connector runs there too; add a user pool for larger setups).')
@minValue(1)
@maxValue(100)
param nodeCount int = 2

@description('VM size of the nodes.')
param nodeVmSize string = 'Standard_D4ds_v5'

@description('Name of the connector\'s user-assigned identity (in this resource group).')
param identityName string

@description('Kubernetes namespace the chart is installed in.')
param serviceAccountNamespace string

@description('The chart\'s service account name.')
param serviceAccountName string

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: clusterName
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: clusterName
    enableRBAC: true
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: nodeCount
        vmSize: nodeVmSize
        osType: 'Linux'
        type: 'VirtualMachineScaleSets'
      }
    ]
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    workloadAutoScalerProfile: {
      keda: {
        enabled: true
      }
    }
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource connectorPods 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'aks-${serviceAccountNamespace}-${serviceAccountName}'
  properties: {
    issuer: cluster.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:${serviceAccountNamespace}:${serviceAccountName}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

// Azure allows one federated credential write per identity at a time: the second waits.
resource kedaOperator 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'aks-kube-system-keda-operator'
  dependsOn: [
    connectorPods
  ]
  properties: {
    issuer: cluster.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:kube-system:keda-operator'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

output name string = cluster.name
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
