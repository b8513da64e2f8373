"""The logical component kinds a diagram may use, and the `diagrams` class that draws each per view.

A kind is logical (`vector-store`, `queue`); each view maps it to a node class: the
provider-neutral view uses generic, on-premise, Kubernetes, programming and SaaS icons, the
cloud views the provider's managed service. `None` means the provider has no equivalent, which
`playbook check` reports for diagrams that ask for that provider's view.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

PROVIDERS = ("aws", "azure", "gcp")
VIEWS = ("neutral", *PROVIDERS)
VIEW_TITLES = {"neutral": "Provider-neutral", "aws": "AWS", "azure": "Azure", "gcp": "Google Cloud"}


@dataclass(frozen=True)
class NodeKind:
    description: str
    neutral: str
    aws: str | None
    azure: str | None
    gcp: str | None

    def class_path(self, view: str) -> str | None:
        return getattr(self, view)


def _same(description: str, path: str) -> NodeKind:
    """A component that looks the same in every view (it is not a cloud resource)."""
    return NodeKind(description, path, path, path, path)


VOCABULARY: dict[str, NodeKind] = {
    # people and things outside the platform
    "client": _same("An application or device that calls the system", "onprem.client.Client"),
    "user": _same("People using the system", "onprem.client.Users"),
    "internet": _same("The public internet or a third-party endpoint", "onprem.network.Internet"),
    "chat": _same("A chat workspace such as Slack", "saas.chat.Slack"),
    "alerting": _same("Paging and on-call", "saas.alerting.Pagerduty"),
    "ci-cd": _same("Build and release pipelines", "onprem.ci.GithubActions"),
    "llm-provider": NodeKind("A hosted large language model API", "onprem.network.Internet",
                             "aws.ml.Bedrock", "azure.ml.AzureOpenAI", "gcp.ml.VertexAI"),
    # entry points and compute
    "api-gateway": NodeKind("API gateway: authentication, quotas, routing", "onprem.network.Kong",
                            "aws.network.APIGateway", "azure.integration.APIManagement", "gcp.api.APIGateway"),
    "load-balancer": NodeKind("Load balancer", "onprem.network.Nginx",
                              "aws.network.ELB", "azure.network.ApplicationGateway", "gcp.network.LoadBalancing"),
    "llm-gateway": NodeKind("Gateway in front of every model provider: routing, quotas, logging",
                            "onprem.network.Kong", "aws.network.APIGateway", "azure.integration.APIManagement",
                            "gcp.api.APIGateway"),
    "service": NodeKind("A containerised service", "k8s.compute.Deploy",
                        "aws.compute.ECS", "azure.compute.ContainerInstances", "gcp.compute.Run"),
    "function": NodeKind("A serverless function", "programming.language.Python",
                         "aws.compute.Lambda", "azure.compute.FunctionApps", "gcp.compute.Functions"),
    "worker": NodeKind("A background or batch worker", "onprem.compute.Server",
                       "aws.compute.Batch", "azure.compute.BatchAccounts", "gcp.compute.GCE"),
    "kubernetes": NodeKind("A Kubernetes cluster", "k8s.compute.Pod",
                           "aws.compute.EKS", "azure.compute.AKS", "gcp.compute.GKE"),
    "orchestrator": NodeKind("Workflow orchestration", "onprem.workflow.Airflow",
                             "aws.integration.StepFunctions", "azure.analytics.DataFactories", "gcp.analytics.Composer"),
    # models
    "model-server": NodeKind("Model serving on CPU", "k8s.compute.Deploy",
                             "aws.ml.SagemakerModel", "azure.ml.MachineLearningServiceWorkspaces", "gcp.ml.VertexAI"),
    "gpu-inference": NodeKind("Model serving on GPUs", "generic.compute.Rack",
                              "aws.compute.EC2", "azure.compute.VM", "gcp.compute.GPU"),
    "training": NodeKind("Model training jobs", "onprem.analytics.Spark",
                         "aws.ml.SagemakerTrainingJob", "azure.ml.MachineLearningServiceWorkspaces", "gcp.ml.VertexAI"),
    "model-registry": NodeKind("Versioned model artifacts and their metadata", "onprem.mlops.Mlflow",
                               "aws.ml.Sagemaker", "azure.ml.MachineLearningServiceWorkspaces", "gcp.ml.VertexAI"),
    "feature-store": NodeKind("Features for training and serving", "onprem.inmemory.Redis",
                              "aws.ml.Sagemaker", "azure.ml.MachineLearningServiceWorkspaces", "gcp.ml.VertexAI"),
    "vision-api": NodeKind("A managed computer-vision API", "programming.language.Python",
                           "aws.ml.Rekognition", "azure.ml.CognitiveServices", "gcp.ml.VisionAPI"),
    "guardrails": NodeKind("Input and output filtering for model traffic", "generic.network.Firewall",
                           "aws.ml.Bedrock", "azure.ml.CognitiveServices", None),
    # data
    "vector-store": NodeKind("Vector or hybrid search index", "onprem.search.Solr",
                             "aws.analytics.AmazonOpensearchService", "azure.web.Search", "gcp.ml.VertexAI"),
    "search-index": NodeKind("Keyword or hybrid search index", "onprem.search.Solr",
                             "aws.analytics.AmazonOpensearchService", "azure.web.Search", "gcp.ml.VertexAI"),
    "object-storage": NodeKind("Object storage", "onprem.storage.Ceph",
                               "aws.storage.S3", "azure.storage.BlobStorage", "gcp.storage.GCS"),
    "database": NodeKind("Relational database", "onprem.database.Postgresql",
                         "aws.database.RDS", "azure.database.SQLDatabases", "gcp.database.SQL"),
    "cache": NodeKind("In-memory cache", "onprem.inmemory.Redis",
                      "aws.database.ElasticacheForRedis", "azure.database.CacheForRedis", "gcp.database.Memorystore"),
    "queue": NodeKind("Message queue", "onprem.queue.Rabbitmq",
                      "aws.integration.SQS", "azure.integration.ServiceBus", "gcp.analytics.Pubsub"),
    "stream": NodeKind("Event stream", "onprem.queue.Kafka",
                       "aws.analytics.KinesisDataStreams", "azure.analytics.EventHubs", "gcp.analytics.Pubsub"),
    "data-warehouse": NodeKind("Analytical warehouse or lakehouse", "generic.database.SQL",
                               "aws.analytics.Redshift", "azure.analytics.SynapseAnalytics", "gcp.analytics.Bigquery"),
    "data-pipeline": NodeKind("Batch or streaming data processing", "onprem.analytics.Spark",
                              "aws.analytics.Glue", "azure.analytics.Databricks", "gcp.analytics.Dataflow"),
    # operations and security
    "observability": NodeKind("Metrics, logs and dashboards", "onprem.monitoring.Prometheus",
                              "aws.management.Cloudwatch", "azure.monitor.Monitor", "gcp.operations.Monitoring"),
    "tracing": NodeKind("Distributed tracing", "onprem.tracing.Jaeger",
                        "aws.devtools.XRay", "azure.devops.ApplicationInsights", "gcp.operations.Monitoring"),
    "dashboard": NodeKind("Dashboards", "onprem.monitoring.Grafana",
                          "aws.management.Cloudwatch", "azure.monitor.Monitor", "gcp.operations.Monitoring"),
    "secrets": NodeKind("Secrets and keys", "onprem.security.Vault",
                        "aws.security.SecretsManager", "azure.security.KeyVaults", "gcp.security.SecretManager"),
    "identity": NodeKind("Identity and access management", "generic.network.Firewall",
                         "aws.security.IAM", "azure.identity.ActiveDirectory", "gcp.security.Iam"),
    "firewall": NodeKind("Network filtering", "generic.network.Firewall",
                         "aws.security.WAF", "azure.network.Firewall", "gcp.network.Armor"),
}


@cache
def node_class(kind: str, view: str) -> type:
    """The `diagrams` node class drawing `kind` in `view`."""
    path = VOCABULARY[kind].class_path(view)
    if path is None:
        raise KeyError(f"{kind} has no {view} equivalent")
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(f"diagrams.{module}"), name)
