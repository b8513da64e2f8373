"""The logical component kinds a diagram may use: how the neutral view draws each, and each cloud's service for it.

A kind is logical (`vector-store`, `queue`). The provider-neutral view draws it as a generic shape
(no product logo), whose family says what the component does. A cloud view draws it with the
provider's icon and names the provider's service under the component's own label; a node that
names its own service (`services` in the spec, for a self-hosted product) is drawn as a shape with
that name. A kind outside any cloud (people, clients, third-party endpoints) is drawn the same in
every view. `None` means the provider has no service for the kind, which `playbook check` reports
for a node of that kind in a view the architecture draws, unless the node names its own service.

Service names are the providers' current product names, each checked on `CHECKED` against the
page in `source`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

PROVIDERS = ("aws", "azure", "gcp")
VIEW_TITLES = {"neutral": "Provider-neutral", "aws": "AWS", "azure": "Azure", "gcp": "Google Cloud"}
#: When the service names below were last checked against their sources.
CHECKED = "2026-12-02"


@dataclass(frozen=True)
class Shape:
    """A family of generic shapes: what the neutral view draws, and the words that explain it to readers."""

    shape: str
    style: str
    fill: str
    name: str
    meaning: str


SHAPES = {
    "person": Shape("ellipse", "filled", "#E8F0FE", "ellipses", "people and the clients they use"),
    "outside": Shape("box", "rounded,dashed,filled", "#F5F5F5", "dashed boxes", "services outside the platform"),
    "entry": Shape("hexagon", "filled", "#FFF4E5", "hexagons", "gateways and filters that guard a way in"),
    "compute": Shape("box", "rounded,filled", "#E6F4EA", "rounded boxes", "services, workers and model servers"),
    "store": Shape("cylinder", "filled", "#EDE7F6", "cylinders", "stores, indexes and registries"),
    "flow": Shape("parallelogram", "filled", "#FCE8E6", "parallelograms", "queues and streams"),
    "watch": Shape("note", "filled", "#FFFDE7", "folded notes", "telemetry, tracing and dashboards"),
    "trust": Shape("octagon", "filled", "#E0F7FA", "octagons", "identity and secrets"),
}


@dataclass(frozen=True)
class Service:
    """A provider's managed service for a kind: its current name, the `diagrams` icon, and where the name was checked."""

    name: str
    icon: str
    source: str


@dataclass(frozen=True)
class NodeKind:
    description: str
    family: str
    aws: Service | None = None
    azure: Service | None = None
    gcp: Service | None = None
    outside: bool = False

    def service(self, view: str) -> Service | None:
        """The provider's service for this kind in a cloud view (None in the neutral view or when there is none)."""
        return getattr(self, view) if view in PROVIDERS else None

    def has_mapping(self, provider: str) -> bool:
        return self.outside or self.service(provider) is not None


def _outside(description: str, family: str = "outside") -> NodeKind:
    """A component that is not a cloud resource: drawn alike in every view."""
    return NodeKind(description, family, outside=True)


VOCABULARY: dict[str, NodeKind] = {
    # people and things outside the platform
    "client": _outside("An application or device that calls the system", "person"),
    "user": _outside("People using the system", "person"),
    "internet": _outside("The public internet or a third-party endpoint"),
    "chat": _outside("A chat workspace where people and bots talk"),
    "alerting": _outside("Paging and on-call"),
    "ci-cd": _outside("Build and release pipelines"),
    "llm-provider": NodeKind(
        "A hosted large language model API", "outside",
        Service("Amazon Bedrock", "aws.ml.Bedrock", "https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html"),
        Service("Azure OpenAI in Microsoft Foundry Models", "azure.ml.AzureOpenAI",
                "https://github.com/MicrosoftDocs/azure-ai-docs/blob/469738e5be3744cd7a3dd02815d24ee08d29fe2b/articles/foundry/openai/includes/models-azure-direct-openai.md"),
        Service("Gemini on Agent Platform", "gcp.ml.VertexAI",
                "https://docs.cloud.google.com/gemini-enterprise-agent-platform/vertex-ai-name-changes")),
    # entry points and compute
    "api-gateway": NodeKind(
        "API gateway: authentication, quotas, routing", "entry",
        Service("Amazon API Gateway", "aws.network.APIGateway",
                "https://docs.aws.amazon.com/apigateway/latest/api/Welcome.html"),
        Service("Azure API Management", "azure.integration.APIManagement",
                "https://learn.microsoft.com/en-us/azure/api-management/genai-gateway-capabilities"),
        Service("API Gateway", "gcp.api.APIGateway",
                "https://cloud.google.com/api-gateway/docs")),
    "load-balancer": NodeKind(
        "Load balancer", "entry",
        Service("Elastic Load Balancing", "aws.network.ELB",
                "https://docs.aws.amazon.com/elasticloadbalancing"),
        Service("Azure Application Gateway", "azure.network.ApplicationGateway",
                "https://learn.microsoft.com/en-gb/training/modules/configure-azure-application-gateway/6-summary-resources"),
        Service("Cloud Load Balancing", "gcp.network.LoadBalancing",
                "https://docs.cloud.google.com/load-balancing/docs.md.txt")),
    "llm-gateway": NodeKind(
        "Gateway in front of every model provider: routing, quotas, logging", "entry",
        Service("Amazon API Gateway", "aws.network.APIGateway",
                "https://docs.aws.amazon.com/apigateway/latest/api/Welcome.html"),
        Service("Azure API Management", "azure.integration.APIManagement",
                "https://learn.microsoft.com/en-us/azure/api-management/genai-gateway-capabilities"),
        Service("Apigee", "gcp.api.APIGateway",
                "https://raw.githubusercontent.com/google/adk-docs/refs/heads/main/docs/agents/models/apigee.md")),
    "service": NodeKind(
        "A containerised service", "compute",
        Service("Amazon ECS", "aws.compute.ECS",
                "https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/clients/client-ecs"),
        Service("Azure Container Apps", "azure.compute.ContainerApps",
                "https://learn.microsoft.com/azure/container-apps/overview"),
        Service("Cloud Run", "gcp.compute.Run", "https://docs.cloud.google.com/functions/docs/2nd-gen/2nd-gen-differences")),
    "function": NodeKind(
        "A serverless function", "compute",
        Service("AWS Lambda", "aws.compute.Lambda",
                "https://aws.amazon.com/documentation/lambda"),
        Service("Azure Functions", "azure.compute.FunctionApps",
                "https://learn.microsoft.com/en-us/azure/azure-functions/functions-overview"),
        Service("Cloud Run functions", "gcp.compute.Functions",
                "https://docs.cloud.google.com/functions/docs/2nd-gen/2nd-gen-differences")),
    "worker": NodeKind(
        "A background or batch worker", "compute",
        Service("AWS Batch", "aws.compute.Batch",
                "https://docs.aws.amazon.com/batch"),
        Service("Azure Batch", "azure.compute.BatchAccounts",
                "https://learn.microsoft.com/rest/api/batchmanagement/"),
        Service("Batch", "gcp.compute.GCE", "https://cloud.google.com/batch/docs")),
    "kubernetes": NodeKind(
        "A Kubernetes cluster", "compute",
        Service("Amazon EKS", "aws.compute.EKS",
                "https://docs.aws.amazon.com/eks/index.md"),
        Service("Azure Kubernetes Service (AKS)", "azure.compute.AKS",
                "https://github.com/MicrosoftDocs/azure-aks-docs/blob/main/articles/aks/what-is-aks.md"),
        Service("Google Kubernetes Engine (GKE)", "gcp.compute.GKE",
                "https://cloud.google.com/kubernetes-engine/docs/concepts/kubernetes-engine-overview")),
    "orchestrator": NodeKind(
        "Workflow orchestration", "compute",
        Service("AWS Step Functions", "aws.integration.StepFunctions",
                "https://docs.aws.amazon.com/step-functions/latest/apireference/Welcome.html"),
        Service("Azure Data Factory", "azure.analytics.DataFactories",
                "https://learn.microsoft.com/azure/data-factory/introduction"),
        Service("Cloud Composer", "gcp.analytics.Composer",
                "https://cloud.google.com/composer/docs/concepts/overview")),
    # models
    "model-server": NodeKind(
        "Model serving on CPU", "compute",
        Service("Amazon SageMaker AI endpoints", "aws.ml.SagemakerModel",
                "https://docs.aws.amazon.com/en_us/sagemaker/latest/dg/realtime-single-model.html"),
        Service("Azure Machine Learning online endpoints", "azure.ml.MachineLearningServiceWorkspaces",
                "https://learn.microsoft.com/azure/machine-learning/concept-endpoints-online"),
        Service("Agent Platform online inference", "gcp.ml.VertexAI",
                "https://docs.cloud.google.com/gemini-enterprise-agent-platform/vertex-ai-name-changes")),
    "gpu-inference": NodeKind(
        "Model serving on GPUs", "compute",
        Service("Amazon EC2 GPU instances", "aws.compute.EC2",
                "https://docs.aws.amazon.com/AWSEC2/latest/WindowsGuide/accelerated-computing-instances.html"),
        Service("Azure GPU virtual machines", "azure.compute.VM",
                "https://github.com/MicrosoftDocs/azure-docs/blob/main/articles/virtual-machines/sizes/gpu-accelerated/nd-family.md"),
        Service("Compute Engine GPUs", "gcp.compute.GPU",
                "https://cloud.google.com/compute/docs/gpus/about-gpus")),
    "training": NodeKind(
        "Model training jobs", "compute",
        Service("Amazon SageMaker AI training", "aws.ml.SagemakerTrainingJob",
                "https://docs.amazonaws.cn/en_us/sagemaker/latest/dg/how-it-works-deployment.md"),
        Service("Azure Machine Learning", "azure.ml.MachineLearningServiceWorkspaces",
                "https://learn.microsoft.com/azure/machine-learning/overview-what-is-azure-machine-learning"),
        Service("Agent Platform custom training", "gcp.ml.VertexAI",
                "https://docs.cloud.google.com/gemini-enterprise-agent-platform/vertex-ai-name-changes")),
    "model-registry": NodeKind(
        "Versioned model artifacts and their metadata", "store",
        Service("SageMaker Model Registry", "aws.ml.Sagemaker",
                "https://docs.aws.amazon.com/en_us/sagemaker/latest/dg/model-registry-models.html"),
        Service("Azure Machine Learning registries", "azure.ml.MachineLearningServiceWorkspaces",
                "https://learn.microsoft.com/en-us/cli/azure/ml/registry"),
        Service("Agent Platform Model Registry", "gcp.ml.VertexAI",
                "https://docs.cloud.google.com/gemini-enterprise-agent-platform/machine-learning/model-registry/delete-model")),
    "feature-store": NodeKind(
        "Features for training and serving", "store",
        Service("Amazon SageMaker Feature Store", "aws.ml.Sagemaker",
                "https://docs.aws.amazon.com/sagemaker-unified-studio/latest/userguide/feature-store.html"),
        Service("Azure Machine Learning managed feature store", "azure.ml.MachineLearningServiceWorkspaces",
                "https://learn.microsoft.com/azure/machine-learning/concept-what-is-managed-feature-store"),
        Service("Agent Platform Feature Store", "gcp.ml.VertexAI",
                "https://docs.cloud.google.com/gemini-enterprise-agent-platform/machine-learning/featurestore")),
    "vision-api": NodeKind(
        "A managed computer-vision API", "outside",
        Service("Amazon Rekognition", "aws.ml.Rekognition",
                "https://docs.aws.amazon.com/rekognition/index.html"),
        Service("Azure Vision in Foundry Tools", "azure.ml.CognitiveServices",
                "https://learn.microsoft.com/azure/ai-services/computer-vision/overview-image-analysis"),
        Service("Cloud Vision API", "gcp.ml.VisionAPI", "https://docs.cloud.google.com/vision/docs/labels.md.txt")),
    "guardrails": NodeKind(
        "Input and output filtering for model traffic", "entry",
        Service("Amazon Bedrock Guardrails", "aws.ml.Bedrock", "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails.html"),
        Service("Azure AI Content Safety", "azure.ml.CognitiveServices",
                "https://learn.microsoft.com/en-us/azure/ai-services/content-safety/region-availability"),
        Service("Model Armor", "gcp.security.SecurityCommandCenter",
                "https://docs.cloud.google.com/python/docs/reference/vertexai/latest/vertexai._genai.types.ModelArmorConfigDict")),
    # data
    "vector-store": NodeKind(
        "Vector or hybrid search index", "store",
        Service("Amazon OpenSearch Service", "aws.analytics.AmazonOpensearchService",
                "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/knn.html"),
        Service("Azure AI Search", "azure.web.Search", "https://learn.microsoft.com/en-us/azure/ai-services/reference/rest-api-resources"),
        Service("Agent Platform Vector Search", "gcp.ml.VertexAI",
                "https://docs.cloud.google.com/gemini-enterprise-agent-platform/build/vector-search/overview.md.txt")),
    "search-index": NodeKind(
        "Keyword or hybrid search index", "store",
        Service("Amazon OpenSearch Service", "aws.analytics.AmazonOpensearchService",
                "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/knn.html"),
        Service("Azure AI Search", "azure.web.Search", "https://learn.microsoft.com/en-us/azure/ai-services/reference/rest-api-resources"),
        Service("Agent Search", "gcp.ml.VertexAI", "https://docs.cloud.google.com/gemini-enterprise-agent-platform/vertex-ai-name-changes")),
    "object-storage": NodeKind(
        "Object storage", "store",
        Service("Amazon S3", "aws.storage.S3", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-cli.html"),
        Service("Azure Blob Storage", "azure.storage.BlobStorage",
                "https://docs.azure.cn/en-us/storage/blobs"),
        Service("Cloud Storage", "gcp.storage.GCS",
                "https://cloud.google.com/storage/docs/introduction")),
    "database": NodeKind(
        "Relational database", "store",
        Service("Amazon RDS", "aws.database.RDS",
                "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/Welcome.html"),
        Service("Azure Database for PostgreSQL", "azure.database.DatabaseForPostgresqlServers",
                "https://github.com/MicrosoftDocs/azure-databases-docs/blob/0177ae532f390235abe1fd4260c3e05b169ba50e/articles/postgresql/flexible-server/overview.md"),
        Service("Cloud SQL", "gcp.database.SQL",
                "https://docs.cloud.google.com/sql/docs.md.txt")),
    "cache": NodeKind(
        "In-memory cache", "store",
        Service("Amazon ElastiCache", "aws.database.ElasticacheForRedis",
                "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/WhatIs.html"),
        Service("Azure Managed Redis", "azure.database.CacheForRedis", "https://learn.microsoft.com/en-us/Azure/azure-cache-for-redis/"),
        Service("Memorystore", "gcp.database.Memorystore", "https://cloud.google.com/memorystore/docs/valkey/product-overview")),
    "queue": NodeKind(
        "Message queue", "flow",
        Service("Amazon SQS", "aws.integration.SQS",
                "https://aws.amazon.com/documentation/sqs"),
        Service("Azure Service Bus", "azure.integration.ServiceBus",
                "https://learn.microsoft.com/en-gb/Azure/service-bus-messaging/service-bus-messaging-overview"),
        Service("Pub/Sub", "gcp.analytics.Pubsub",
                "https://cloud.google.com/pubsub/docs/overview")),
    "stream": NodeKind(
        "Event stream", "flow",
        Service("Amazon Kinesis Data Streams", "aws.analytics.KinesisDataStreams",
                "https://docs.aws.amazon.com/kinesis/index.md"),
        Service("Azure Event Hubs", "azure.analytics.EventHubs",
                "https://raw.githubusercontent.com/MicrosoftDocs/azure-docs/main/articles/event-hubs/event-hubs-about.md"),
        Service("Pub/Sub", "gcp.analytics.Pubsub",
                "https://cloud.google.com/pubsub/docs/overview")),
    "data-warehouse": NodeKind(
        "Analytical warehouse or lakehouse", "store",
        Service("Amazon Redshift", "aws.analytics.Redshift",
                "https://docs.aws.amazon.com/redshift/latest/APIReference/Welcome.html"),
        Service("Fabric Data Warehouse", "azure.analytics.SynapseAnalytics",
                "https://learn.microsoft.com/fabric/data-warehouse/data-warehousing"),
        Service("BigQuery", "gcp.analytics.Bigquery",
                "https://googleapis.github.io/genai-toolbox/v0.9.0/resources/sources/bigquery")),
    "data-pipeline": NodeKind(
        "Batch or streaming data processing", "compute",
        Service("AWS Glue", "aws.analytics.Glue",
                "https://docs.aws.amazon.com/glue/latest/webapi/WebAPI_Welcome.html"),
        Service("Azure Databricks", "azure.analytics.Databricks",
                "https://learn.microsoft.com/en-us/azure/databricks/introduction/"),
        Service("Dataflow", "gcp.analytics.Dataflow",
                "https://cloud.google.com/dataflow/docs/overview")),
    # operations and security
    "observability": NodeKind(
        "Metrics, logs and dashboards", "watch",
        Service("Amazon CloudWatch", "aws.management.Cloudwatch",
                "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OpenTelemetry-Sections.html"),
        Service("Azure Monitor", "azure.monitor.Monitor", "https://learn.microsoft.com/en-US/Azure/azure-monitor/app/opentelemetry-enable"),
        Service("Cloud Monitoring", "gcp.operations.Monitoring", "https://docs.cloud.google.com/go/docs/stackdriver.md.txt")),
    "tracing": NodeKind(
        "Distributed tracing", "watch",
        Service("AWS X-Ray", "aws.devtools.XRay", "https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-migration.html"),
        Service("Application Insights", "azure.devops.ApplicationInsights",
                "https://learn.microsoft.com/en-US/Azure/azure-monitor/app/opentelemetry-enable"),
        Service("Cloud Trace", "gcp.operations.Monitoring", "https://docs.cloud.google.com/go/docs/stackdriver.md.txt")),
    "dashboard": NodeKind(
        "Dashboards", "watch",
        Service("Amazon Managed Grafana", "aws.management.AmazonManagedGrafana",
                "https://docs.aws.amazon.com/grafana/index.md"),
        Service("Azure Managed Grafana", "azure.other.AzureManagedGrafana", "https://learn.microsoft.com/azure/azure-monitor/visualize/grafana-plugin"),
        Service("Cloud Monitoring dashboards", "gcp.operations.Monitoring", "https://docs.cloud.google.com/go/docs/stackdriver.md.txt")),
    "secrets": NodeKind(
        "Secrets and keys", "trust",
        Service("AWS Secrets Manager", "aws.security.SecretsManager",
                "https://aws.amazon.com/documentation-overview/secrets-manager/"),
        Service("Azure Key Vault", "azure.security.KeyVaults",
                "https://learn.microsoft.com/azure/key-vault/general/overview"),
        Service("Secret Manager", "gcp.security.SecretManager",
                "https://cloud.google.com/secret-manager/docs/overview")),
    "identity": NodeKind(
        "Identity and access management", "trust",
        Service("AWS IAM", "aws.security.IAM",
                "https://docs.aws.amazon.com/iam/"),
        Service("Microsoft Entra ID", "azure.identity.ActiveDirectory", "https://learn.microsoft.com/entra/identity"),
        Service("IAM", "gcp.security.Iam",
                "https://cloud.google.com/iam/docs/overview")),
    "firewall": NodeKind(
        "Web application firewall: filters HTTP traffic before it reaches the platform", "entry",
        Service("AWS WAF", "aws.security.WAF",
                "https://docs.aws.amazon.com/waf/"),
        Service("Azure Web Application Firewall", "azure.networking.WebApplicationFirewallPolicieswaf",
                "https://learn.microsoft.com/azure/web-application-firewall/afds/waf-faq"),
        Service("Google Cloud Armor", "gcp.network.Armor", "https://docs.cloud.google.com/armor/docs.md.txt")),
}


@cache
def icon_class(path: str) -> type:
    """The `diagrams` node class at `path` (e.g. 'aws.network.APIGateway')."""
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(f"diagrams.{module}"), name)
