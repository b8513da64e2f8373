"""A synthetic but realistic catalog of any size, for benchmarks.

    .venv/bin/python -m benchmarks.synthetic --size 1000 -o DIR [--seed 0]

Writes DIR/catalog with entries of every kind in the proportions of a large organisation's playbook:
ADRs pile up fastest (about 35%), one entry in ten is an architecture with a diagram, a few teams own
everything. Every reference resolves, superseded ADRs name their successors, every threat cites a
standard or checklist item and every entry that is not a root is linked from somewhere, so
`python -m generators --root DIR check` reports no errors and few warnings. About one prose field in
five is long Markdown. The same size and seed write the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time
from pathlib import Path
from typing import Any

import yaml

from generators.load.entries import schema_line
from generators.models import KINDS
from generators.vocabulary import PROVIDERS, VOCABULARY

#: The EU AI Act registry of the bundled catalog, whose tiers synthetic initiatives record.
AI_ACT = Path(__file__).resolve().parent.parent / "catalog" / "frameworks" / "eu-ai-act.yaml"

Data = dict[str, Any]

#: Share of the catalog per kind; architectures are exactly one in ten, ADRs take the rest (about 35%).
SHARES = {
    "tool": 0.12, "standard": 0.11, "initiative": 0.105, "threat": 0.10, "checklist": 0.035, "kpi": 0.025,
    "incident-playbook": 0.02, "exception": 0.015, "team": 0.015, "onboarding-kit": 0.008,
}
MIN_SIZE = 50
LONG_SHARE = 0.2
#: Reviews are judged against the day `check` runs; these keep every entry in its cadence well into 2027.
REVIEWED = (dt.date(2026, 7, 1), dt.date(2026, 11, 15))
ORG = "example-org"
#: libyaml's dumper when PyYAML has it: byte for byte what yaml.safe_dump writes, about fifteen times faster.
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# -- word pools ---------------------------------------------------------------------------------------

SUBJECTS = ("The gateway", "Every team", "The platform group", "Each service", "The evaluation harness",
            "The retrieval layer", "The on-call engineer", "The review board", "Each model route",
            "The ingestion pipeline", "The product owner", "Security architecture", "The batch scorer",
            "The orchestrator", "FinOps", "The data steward")
VERBS = ("records", "enforces", "pins", "samples", "reviews", "measures", "rejects", "caches", "redacts",
         "versions", "alerts on", "budgets", "rotates", "tests", "publishes", "throttles")
OBJECTS = ("the prompt version", "every model call", "p95 latency per stage", "token spend per tenant",
           "the golden set", "redacted request logs", "the fallback provider", "ACL filters on each query",
           "embedding drift", "the model snapshot", "tool calls that change state", "the retrieval recall",
           "cost per thousand requests", "the exit plan", "customer-facing answers", "training data lineage",
           "feature freshness", "the canary cohort")
QUALIFIERS = ("before release", "within 15 minutes", "per business day", "at the gateway", "for every tenant",
              "on each deploy", "behind a feature flag", "with two approvers", "in the weekly review",
              "against the 2 s budget", "for 30 days", "before any data leaves the region",
              "on every index rebuild", "at 80% of the monthly cap")
CODE = ("`max_tokens`", "`temperature: 0`", "`x-request-id`", "`model_version`", "`playbook check`",
        "`top_k: 8`", "`retry_budget`", "`tenant_id`", "`eval run --suite golden`", "`kubectl rollout undo`",
        "`feature_flags.fallback`", "`gen_ai.usage.input_tokens`")
LINK_TEXT = ("the runbook", "the design note", "the dashboard", "the evaluation report", "the vendor terms",
             "the migration guide", "the data-processing agreement", "the review minutes")
HEADINGS = ("Context", "What changes", "Scale", "Known gaps", "How to verify", "Rollout", "Costs",
            "Operating notes", "Open questions", "Results so far")
TAGS = ("llm", "rag", "security", "privacy", "cost", "latency", "evaluation", "governance", "mlops", "data",
        "observability", "reliability", "agents", "vision", "forecasting", "search", "compliance", "tier-1")
TOPICS = ("prompt-injection", "pii-redaction", "model-provenance", "evaluation-gates", "retrieval-access",
          "llm-gateway", "vector-search", "feature-store", "embedding-refresh", "cost-quotas", "genai-tracing",
          "output-guardrails", "fine-tuning", "data-retention", "model-cards", "red-teaming", "fallback-routing",
          "batch-scoring", "drift-monitoring", "human-review", "agent-tools", "secrets-rotation",
          "latency-budgets", "response-caching", "labelling", "synthetic-data", "bias-testing",
          "explainability", "canary-releases", "shadow-traffic", "prompt-versioning", "data-residency",
          "model-deprecation", "gpu-capacity", "vendor-onboarding", "incident-response")
ASPECTS = ("baseline", "controls", "logging", "review", "lifecycle", "testing", "ownership", "limits",
           "hardening", "reporting")
RULES = ("log-every-call", "pin-model-version", "redact-before-logging", "gate-on-golden-set", "cap-spend",
         "name-an-owner", "encrypt-at-rest", "filter-by-acl", "version-prompts", "document-fallback",
         "review-quarterly", "trace-end-to-end", "limit-tool-scope", "keep-data-in-region", "expire-secrets",
         "test-adversarially", "publish-model-card", "approve-new-vendors", "record-lineage",
         "measure-drift", "human-in-the-loop", "rate-limit-tenants", "sign-artifacts", "retain-30-days")
ITEMS = ("slos-defined", "dashboards-and-alerts", "runbooks-published", "rollback-tested", "versions-pinned",
         "eval-gate-passed", "retrieval-acl-verified", "logging-redaction-verified", "cost-quotas-set",
         "threat-model-done", "fallback-exercised", "on-call-handoff", "nfrs-explicit", "adrs-recorded",
         "data-access-design", "golden-set-owned", "judge-calibrated", "adversarial-suites", "owners-named",
         "exit-plan-written", "pii-inventory", "model-card-published", "load-tested", "secrets-in-vault",
         "lineage-recorded", "drift-alerts", "human-review-sampled", "vendor-terms-reviewed",
         "capacity-planned", "canary-plan")
TOOLS = (  # name, category, quadrant, vendor
    ("OpenSearch", "Search and vector index", "data-and-retrieval", "OpenSearch Project"),
    ("pgvector", "Vector store", "data-and-retrieval", "PostgreSQL community"),
    ("MLflow", "Experiment tracking and model registry", "models-and-ml", "Linux Foundation"),
    ("Kong", "API gateway", "platforms", "Kong Inc."),
    ("Vault", "Secrets management", "platforms", "HashiCorp"),
    ("OpenTelemetry", "Tracing and telemetry", "delivery-and-operations", "CNCF"),
    ("Airflow", "Data orchestration", "data-and-retrieval", "Apache Software Foundation"),
    ("Kafka", "Event streaming", "data-and-retrieval", "Apache Software Foundation"),
    ("Kubernetes", "Container platform", "platforms", "CNCF"),
    ("Grafana", "Dashboards", "delivery-and-operations", "Grafana Labs"),
    ("Prometheus", "Metrics", "delivery-and-operations", "CNCF"),
    ("Terraform", "Infrastructure as code", "delivery-and-operations", "HashiCorp"),
    ("LangChain", "LLM application framework", "models-and-ml", "LangChain"),
    ("LlamaIndex", "Retrieval framework", "data-and-retrieval", "LlamaIndex"),
    ("Weaviate", "Vector database", "data-and-retrieval", "Weaviate"),
    ("Milvus", "Vector database", "data-and-retrieval", "Zilliz"),
    ("Pinecone", "Managed vector database", "data-and-retrieval", "Pinecone"),
    ("Databricks", "Lakehouse platform", "data-and-retrieval", "Databricks"),
    ("Snowflake", "Data warehouse", "data-and-retrieval", "Snowflake"),
    ("SageMaker", "Managed ML platform", "models-and-ml", "Amazon Web Services"),
    ("Vertex AI", "Managed ML platform", "models-and-ml", "Google Cloud"),
    ("Azure OpenAI", "Hosted model API", "models-and-ml", "Microsoft"),
    ("Hugging Face Transformers", "Model library", "models-and-ml", "Hugging Face"),
    ("GitHub Actions", "CI/CD", "delivery-and-operations", "GitHub"),
    ("Datadog", "Observability platform", "delivery-and-operations", "Datadog"),
    ("Arize", "Model monitoring", "models-and-ml", "Arize AI"),
    ("Ray", "Distributed compute", "platforms", "Anyscale"),
    ("vLLM", "Model serving", "models-and-ml", "vLLM project"),
    ("Triton Inference Server", "Model serving", "models-and-ml", "NVIDIA"),
    ("Redis", "Cache", "platforms", "Redis"),
)
SYLLABLES = ("lu", "ka", "mer", "vo", "tri", "sen", "qua", "zel", "ori", "pax", "nim", "dra", "fen", "ty")
PRODUCTS = ("Index", "Flow", "Guard", "Lens", "Serve", "Gate", "Forge", "Pulse", "Vault", "Scope", "Mesh")
AREAS = ("platform", "data", "ml", "security", "support", "claims", "payments", "search", "risk", "identity",
         "marketing", "finance-systems", "developer-experience", "sre", "privacy", "supply-chain", "pricing",
         "hr-systems", "legal-tech", "customer-data")
FUNCTIONS = ("engineering", "architecture", "mlops", "enablement", "operations", "analytics")
FIRST = ("amara", "bruno", "chen", "dana", "elif", "farid", "greta", "hiro", "ines", "jonas", "kofi", "lena")
LAST = ("okafor", "silva", "wong", "berg", "demir", "haddad", "larsen", "tanaka", "moreau", "novak")
DOMAINS = ("support", "claims", "fraud", "pricing", "hr", "legal", "sales", "marketing", "logistics", "finance",
           "it-helpdesk", "procurement", "underwriting", "onboarding", "compliance", "field-service")
USES = ("copilot", "triage", "search", "summariser", "classifier", "forecast", "agent", "extraction",
        "recommendations", "scoring", "translation", "anomaly-detection")
PATTERNS = ("rag-assistant", "agentic-workflow", "batch-scoring", "realtime-inference", "document-ingestion",
            "multi-model-routing", "evaluation-harness", "computer-vision", "recommendation", "forecasting",
            "ai-observability", "classical-classification", "speech-pipeline", "semantic-cache")
ROLES = ("Head of AI Platform", "Principal architect, AI", "Security architecture lead", "Data protection officer",
         "SRE lead for AI services", "Director of data engineering", "Product lead, customer support",
         "FinOps lead", "Chief architect", "ML engineering manager")
OWASP = (
    ("LLM01:2025", "Prompt Injection"), ("LLM02:2025", "Sensitive Information Disclosure"),
    ("LLM03:2025", "Supply Chain"), ("LLM04:2025", "Data and Model Poisoning"),
    ("LLM05:2025", "Improper Output Handling"), ("LLM06:2025", "Excessive Agency"),
    ("LLM07:2025", "System Prompt Leakage"), ("LLM08:2025", "Vector and Embedding Weaknesses"),
    ("LLM09:2025", "Misinformation"), ("LLM10:2025", "Unbounded Consumption"),
)
ATLAS = (
    ("AML.T0000", "Search Open Technical Databases", "Reconnaissance"),
    ("AML.T0002", "Acquire Public AI Artifacts", "Resource Development"),
    ("AML.T0010", "AI Supply Chain Compromise", "Initial Access"),
    ("AML.T0010.002", "AI Supply Chain Compromise: Data", "Initial Access"),
    ("AML.T0010.003", "AI Supply Chain Compromise: Model", "Initial Access"),
    ("AML.T0012", "Valid Accounts", "Initial Access"),
    ("AML.T0015", "Evade AI Model", "Defense Evasion"),
    ("AML.T0018.000", "Manipulate AI Model: Poison AI Model", "Persistence"),
    ("AML.T0019", "Publish Poisoned Datasets", "Resource Development"),
    ("AML.T0020", "Poison Training Data", "Resource Development"),
    ("AML.T0024", "Exfiltration via AI Inference API", "Exfiltration"),
    ("AML.T0024.002", "Exfiltration via AI Inference API: Extract AI Model", "Exfiltration"),
    ("AML.T0025", "Exfiltration via Cyber Means", "Exfiltration"),
    ("AML.T0029", "Denial of AI Service", "Impact"),
    ("AML.T0031", "Erode AI Model Integrity", "Impact"),
    ("AML.T0034", "Cost Harvesting", "Impact"),
    ("AML.T0040", "AI Model Inference API Access", "AI Model Access"),
    ("AML.T0043", "Craft Adversarial Data", "AI Attack Staging"),
    ("AML.T0048", "External Harms", "Impact"),
    ("AML.T0051", "LLM Prompt Injection", "Execution"),
    ("AML.T0051.000", "LLM Prompt Injection: Direct", "Execution"),
    ("AML.T0051.001", "LLM Prompt Injection: Indirect", "Execution"),
    ("AML.T0054", "LLM Jailbreak", "Privilege Escalation"),
    ("AML.T0056", "Extract LLM System Prompt", "Exfiltration"),
    ("AML.T0057", "LLM Data Leakage", "Exfiltration"),
    ("AML.T0070", "RAG Poisoning", "Persistence"),
    ("AML.M0007", "Sanitize Training Data", "Mitigation"),
    ("AML.M0014", "Verify AI Artifacts", "Mitigation"),
    ("AML.M0025", "Maintain AI Dataset Provenance", "Mitigation"),
)


def slugify(text: str, limit: int = 60) -> str:
    """Lowercase words joined by single hyphens, cut at a word boundary."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    while len(slug) > limit and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug


def titled(slug: str) -> str:
    """'pii-redaction-controls' as 'Pii redaction controls'."""
    return slug.replace("-", " ").capitalize()


def counts(size: int) -> dict[str, int]:
    """Entries per kind for a catalog of `size`, in the order of KINDS."""
    if size < MIN_SIZE:
        raise ValueError(f"a synthetic catalog needs at least {MIN_SIZE} entries, not {size}")
    out = {kind: max(1, round(size * share)) for kind, share in SHARES.items()}
    out |= {"architecture": size // 10, "framework": 3, "adr-template": 2 + size // 1000}
    out["adr"] = size - sum(out.values())
    return {model.kind: out[model.kind] for model in KINDS}


class Text:
    """Sentences, lines and Markdown prose from the word pools."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        pick = self.rng.choice
        return f"{pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)} {pick(QUALIFIERS)}."

    def line(self) -> str:
        return self.sentence()[:-1]

    def lines(self, low: int, high: int) -> list[str]:
        return [self.line() for _ in range(self.rng.randint(low, high))]

    def short(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))

    def prose(self) -> str:
        """One prose field: long Markdown one time in five, otherwise one to three sentences."""
        return self.long() if self.rng.random() < LONG_SHARE else self.short()

    def long(self) -> str:
        """1,500 to 4,000 characters of paragraphs, lists, code and links."""
        target = self.rng.randint(1500, 4000)
        blocks = [self.paragraph()]
        length = len(blocks[0])
        while length < target:
            block = self.rng.choice((self.paragraph, self.paragraph, self.bullets, self.numbered,
                                     self.heading, self.table, self.fenced))()
            blocks.append(block)
            length += len(block) + 2
        if length > 4000:
            blocks.pop()
        return "\n\n".join(blocks)

    def link(self) -> str:
        path = "/".join(self.rng.sample(TOPICS, 2))
        return f"[{self.rng.choice(LINK_TEXT)}](https://example.com/{path})"

    def paragraph(self) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 5))]
        if self.rng.random() < 0.5:
            sentences.insert(1, f"Set {self.rng.choice(CODE)} {self.rng.choice(QUALIFIERS)}.")
        if self.rng.random() < 0.5:
            sentences.append(f"See {self.link()} for the details.")
        return " ".join(sentences)

    def bullets(self) -> str:
        return "\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(3, 6)))

    def numbered(self) -> str:
        return "\n".join(f"{n}. {self.sentence()}" for n in range(1, self.rng.randint(3, 6) + 1))

    def heading(self) -> str:
        return f"**{self.rng.choice(HEADINGS)}**\n\n{self.paragraph()}"

    def table(self) -> str:
        rows = [f"| {titled(topic)} | {self.rng.randint(20, 900)} ms | {self.rng.randint(1, 40)}% |"
                for topic in self.rng.sample(TOPICS, self.rng.randint(3, 5))]
        return "\n".join(["| Stage | p95 budget | Share of cost |", "| --- | --- | --- |", *rows])

    def fenced(self) -> str:
        route = self.rng.choice(TOPICS)
        return (f"```yaml\nroute: {route}\nmodel_version: 2026-0{self.rng.randint(1, 9)}-01\n"
                f"max_tokens: {self.rng.choice((512, 1024, 2048))}\nfallback: {self.rng.choice(TOPICS)}\n```")


class Synthesizer:
    """Builds every entry as plain data; references are recorded so nothing is left unlinked."""

    def __init__(self, size: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
        self.counts = counts(size)
        self.ids: set[str] = set()
        self.linked: set[str] = set()
        self.entries: dict[str, list[Data]] = {model.kind: [] for model in KINDS}
        self.teams: list[str] = []
        self.item_refs: list[str] = []

    # -- shared pieces ----------------------------------------------------------------------------

    def new_id(self, base: str) -> str:
        """`base`, or `base-2`, `base-3`... when the id is taken anywhere in the catalog."""
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def ref(self, target: str) -> str:
        self.linked.add(target.split("#", 1)[0])
        return target

    def refs(self, pool: list[str], low: int, high: int) -> list[str]:
        return [self.ref(t) for t in self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))]

    def date(self, start: dt.date, end: dt.date) -> str:
        return (start + dt.timedelta(days=self.rng.randint(0, (end - start).days))).isoformat()

    def base(self, kind: str, entry_id: str, title: str, status: str) -> Data:
        every = self.rng.choice(("3 months", "6 months", "6 months", "9 months", "1 year", "12 months"))
        earliest = dt.date(2026, 10, 1) if every == "3 months" else REVIEWED[0]
        data: Data = {
            "id": entry_id, "title": title, "summary": self.text.line(),
            "owners": self.rng.sample(self.teams, min(len(self.teams), self.rng.choice((1, 1, 1, 2)))),
            "tags": self.rng.sample(TAGS, self.rng.randint(1, 4)),
            "last_reviewed": self.date(earliest, REVIEWED[1]), "review_every": every, "status": status,
        }
        self.entries[kind].append(data)
        return data

    def status(self, *weighted: tuple[str, float]) -> str:
        names, weights = zip(*weighted)
        return self.rng.choices(names, weights)[0]

    def recommended_tools(self) -> list[str]:
        """The active tools in adopt or trial: what an approved architecture may build on (`check` refuses hold)."""
        return [e["id"] for e in self.entries["tool"] if e["status"] == "active" and e["ring"] in ("adopt", "trial")]

    def of(self, kind: str, *statuses: str) -> list[str]:
        return [e["id"] for e in self.entries[kind] if not statuses or e["status"] in statuses]

    # -- kinds, in dependency order ---------------------------------------------------------------

    def team(self, index: int) -> None:
        person = index % 10 == 9
        if person:
            base = f"{self.rng.choice(FIRST)}-{self.rng.choice(LAST)}"
        else:
            base = f"{AREAS[index % len(AREAS)]}-{self.rng.choice(FUNCTIONS)}"
        entry_id = self.new_id(base)
        retired = index % 17 == 16
        if not retired:  # retired teams own nothing; the first team owns itself
            self.teams.append(entry_id)
        data = self.base("team", entry_id, titled(entry_id), "retired" if retired else "active")
        data.update(type="person" if person else "team", description=self.text.prose(),
                    contact=f"#{entry_id} on chat; {entry_id}@example.com",
                    codeowners=[f"@{entry_id.replace('-', '')}" if person else f"@{ORG}/{entry_id}"])

    def framework(self, index: int) -> None:
        if index == 0:
            entry_id, title, publisher, version, url = ("owasp-llm-2025", "OWASP Top 10 for LLM Applications 2025",
                                                        "OWASP", "2025", "https://genai.owasp.org/llm-top-10/")
            items = [{"id": i, "name": n} for i, n in OWASP]
        elif index == 1:
            entry_id, title, publisher, version, url = ("mitre-atlas-5-6", "MITRE ATLAS 5.6.0", "MITRE", "5.6.0",
                                                        "https://atlas.mitre.org/")
            items = [{"id": i, "name": n, "group": g} for i, n, g in ATLAS]
        else:  # the EU AI Act's tiers and dates, as the bundled registry has them: initiatives record a tier
            act = yaml.safe_load(AI_ACT.read_text(encoding="utf-8"))
            entry_id, title, publisher, version, url, items = (act[key] for key in ("id", "title", "publisher",
                                                                                   "version", "url", "items"))
        data = self.base("framework", self.new_id(entry_id), title, "current")
        data.update(publisher=publisher, version=version, url=url, description=self.text.prose(), items=items)

    def adr_template(self, index: int) -> None:
        names = ("madr-4", "lightweight-adr", "y-statement", "nygard-adr", "security-decision", "vendor-decision")
        entry_id = self.new_id(names[index % len(names)])
        data = self.base("adr-template", entry_id, titled(entry_id) + " template", "active")
        sections = [{"title": h, "guidance": self.text.prose(), "required": self.rng.random() < 0.7}
                    for h in ("Context and problem statement", "Decision drivers", "Considered options",
                              "Decision outcome", "Consequences", "Confirmation")[: self.rng.randint(3, 6)]]
        data.update(description=self.text.prose(), based_on=self.rng.choice(("MADR 4.0", "Michael Nygard's ADR",
                    "Y-statements")), sections=sections)

    def standard(self, _: int) -> None:
        entry_id = self.new_id(f"{self.rng.choice(TOPICS)}-{self.rng.choice(ASPECTS)}")
        data = self.base("standard", entry_id, titled(entry_id), self.status(("active", 0.9), ("draft", 0.1)))
        rules = [{"id": rule, "level": self.status(("must", 0.6), ("should", 0.3), ("may", 0.1)),
                  "statement": self.text.line(), "rationale": self.text.prose(), "check": self.text.prose()}
                 for rule in self.rng.sample(RULES, self.rng.randint(3, 8))]
        data.update(scope=self.text.prose(), rules=rules, related=[])

    def checklist(self, _: int) -> None:
        entry_id = self.new_id(f"{self.rng.choice(TOPICS)}-{self.rng.choice(('readiness', 'review', 'launch'))}")
        data = self.base("checklist", entry_id, titled(entry_id), self.status(("active", 0.9), ("draft", 0.1)))
        items = [{"id": item, "title": self.text.line(),
                  "severity": self.status(("blocker", 0.3), ("major", 0.5), ("minor", 0.2)),
                  "evidence": self.text.line(), "enforces": []}
                 for item in self.rng.sample(ITEMS, self.rng.randint(6, 15))]
        data.update(purpose=self.text.prose(), used_at=self.text.line(), items=items)

    def tool(self, index: int) -> None:
        if index < len(TOOLS):
            name, category, quadrant, vendor = TOOLS[index]
        else:
            name = "".join(self.rng.sample(SYLLABLES, 2)).capitalize() + " " + self.rng.choice(PRODUCTS)
            category, quadrant = self.rng.choice([t[1:3] for t in TOOLS])
            vendor = name.split()[0] + " Inc."
        entry_id = self.new_id(slugify(name))
        data = self.base("tool", entry_id, name, self.status(("active", 0.95), ("retired", 0.05)))
        ring = self.status(("adopt", 0.35), ("trial", 0.25), ("assess", 0.25), ("hold", 0.15))
        usage = self.status(("common", 0.5), ("optional", 0.3), ("context-specific", 0.2))
        if ring != "adopt" and usage == "common":  # common use belongs in adopt alone, hold keeps only
            usage = "optional" if ring != "hold" else "context-specific"  # context-specific use (ring-usage-mismatch)
        elif ring == "hold":
            usage = "context-specific"
        checked = dt.date.today() - dt.timedelta(days=self.rng.randint(0, 300))  # facts checked within the year
        data.update(category=category, quadrant=quadrant, ring=ring, usage=[usage],
                    rationale=self.text.prose(), vendor=vendor, website=f"https://example.com/tools/{entry_id}",
                    facts={"checked": checked.isoformat(),
                           "sources": [{"title": f"{name} documentation", "url": f"https://example.com/docs/{entry_id}"}]})
        if self.rng.random() < 0.4:
            data["contract"] = self.text.prose()

    def kpi(self, _: int) -> None:
        entry_id = self.new_id(f"{self.rng.choice(TOPICS)}-{self.rng.choice(('rate', 'coverage', 'time', 'cost'))}")
        data = self.base("kpi", entry_id, titled(entry_id),
                         self.status(("active", 0.8), ("proposed", 0.15), ("retired", 0.05)))
        data.update(measures=self.text.prose(), rationale=self.text.prose(),
                    unit=self.rng.choice(("% of initiatives", "Business days (median)", "USD per 1,000 requests",
                                          "Minutes (median, rolling six months)", "% of reviews")),
                    target=f"≥ {self.rng.randint(60, 95)}% by Q{self.rng.randint(1, 4)} 2027",
                    frequency=self.rng.choice(("weekly", "monthly", "monthly", "quarterly", "semiannual", "annual")),
                    owner=self.rng.choice(ROLES), data_source=self.text.line())
        data["goal"] = {"comparison": "at-least", "value": float(re.search(r"\d+", data["target"]).group())}
        data["measurements"] = [{"period": period, "value": self.rng.randint(40, 100),
                                 "date": f"{int(period[:4]) + (period[-1] == '4')}-{(3 * int(period[-1])) % 12 + 1:02d}-05",
                                 "source": self.text.line()}
                                for period in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")]
        if self.rng.random() < 0.4:
            data["computed"] = self.computation()

    def computation(self) -> Data:
        method = self.rng.choice(("architecture-adoption", "checklist-complete", "items-done", "review-cycle-time"))
        out: Data = {"method": method}
        if self.rng.random() < 0.5:
            out["stages"] = self.rng.sample(["build", "pilot", "production"], self.rng.randint(1, 3))
        if method == "checklist-complete":
            out["checklist"] = self.ref(self.rng.choice(self.of("checklist")))
        if method == "items-done":
            out["items"] = self.refs(self.item_refs, 1, 3)
        return out

    def threat(self, _: int) -> None:
        entry_id = self.new_id(f"{self.rng.choice(TOPICS)}-{self.rng.choice(('abuse', 'leak', 'attack', 'misuse'))}")
        data = self.base("threat", entry_id, titled(entry_id), self.status(("active", 0.9), ("draft", 0.1)))
        data.update(description=self.text.prose(), assets=self.text.lines(1, 3),
                    likelihood=self.rng.choice(("low", "medium", "high")),
                    impact=self.rng.choice(("low", "medium", "high", "critical")),
                    mitigations=[self.mitigation() for _ in range(self.rng.randint(2, 5))],
                    crosswalks=self.crosswalks())

    def mitigation(self) -> Data:
        standards = self.refs(self.of("standard"), 0, 2)
        items = self.refs(self.item_refs, 0 if standards else 1, 3)
        return {"control": self.text.line(), "standards": standards, "checklist_items": items}

    def crosswalks(self) -> list[Data]:
        owasp = [("owasp-llm-2025", i, n) for i, n in self.rng.sample(OWASP, self.rng.randint(1, 2))]
        atlas = [("mitre-atlas-5-6", i, n) for i, n, _ in self.rng.sample(ATLAS, self.rng.randint(0, 3))]
        return [{"framework": self.ref(f), "id": i, "name": n} for f, i, n in owasp + atlas]

    def incident(self, _: int) -> None:
        entry_id = self.new_id(f"{self.rng.choice(TOPICS)}-{self.rng.choice(('outage', 'regression', 'breach'))}")
        data = self.base("incident-playbook", entry_id, titled(entry_id), self.status(("active", 0.9), ("draft", 0.1)))
        data.update(severity=self.rng.choice(("P0", "P1", "P1", "P2", "P3")), trigger=self.text.prose(),
                    detection_signals=self.text.lines(2, 4), immediate_actions=self.text.lines(2, 5),
                    escalation=self.text.lines(1, 3), recovery=self.text.lines(2, 4), follow_up=self.text.lines(1, 3),
                    threats=self.refs(self.of("threat"), 1, 3), kpis=self.refs(self.of("kpi", "active", "proposed"), 0, 2))

    def adr(self, index: int, total: int) -> None:
        decision = f"{self.rng.choice(('Adopt', 'Use', 'Standardise on', 'Pin', 'Retire', 'Route through'))} " \
                   f"{self.rng.choice(self.of('tool'))} for {titled(self.rng.choice(TOPICS)).lower()}"
        entry_id = self.new_id(f"{index + 1:04d}-{slugify(decision)}")
        status = self.status(("accepted", 0.85), ("proposed", 0.07), ("rejected", 0.05), ("deprecated", 0.03))
        data = self.base("adr", entry_id, decision, status)
        options = [decision] + [f"{self.rng.choice(('Keep', 'Build', 'Buy'))} {t}"
                                for t in self.rng.sample(self.of("tool"), self.rng.randint(1, 3))]
        options = list(dict.fromkeys(options))
        day = dt.date(2019, 1, 1) + dt.timedelta(days=(dt.date(2026, 11, 1) - dt.date(2019, 1, 1)).days * index // total)
        data.update(date=day.isoformat(), deciders=self.rng.sample(ROLES, self.rng.randint(1, 3)),
                    consulted=self.rng.sample(ROLES, self.rng.randint(0, 2)), informed=["All AI product teams"],
                    context=self.text.prose(), decision_drivers=self.text.lines(2, 4),
                    considered_options=[self.option(title) for title in options],
                    outcome={"chosen": decision, "justification": self.text.prose()},
                    consequences={"good": self.text.lines(1, 3), "bad": self.text.lines(0, 2),
                                  "neutral": self.text.lines(0, 1)},
                    confirmation=self.text.prose() if self.rng.random() < 0.6 else None,
                    supersedes=[], superseded_by=None,
                    template=self.ref(self.of("adr-template")[index % self.counts["adr-template"]]))
        self.supersede(data)

    def option(self, title: str) -> Data:
        return {"title": title, "description": self.text.prose() if self.rng.random() < 0.7 else None,
                "pros": self.text.lines(1, 3), "cons": self.text.lines(0, 2)}

    def supersede(self, new: Data) -> None:
        """One new ADR in eight replaces one or two accepted ones, which then name it."""
        if new["status"] != "accepted" or self.rng.random() > 0.125:
            return
        accepted = [a for a in self.entries["adr"][:-1] if a["status"] == "accepted"]
        for old in self.rng.sample(accepted, min(len(accepted), self.rng.choice((1, 1, 1, 2)))):
            old["status"], old["superseded_by"] = "superseded", self.ref(new["id"])
            new["supersedes"].append(self.ref(old["id"]))

    def architecture(self, index: int) -> None:
        entry_id = self.new_id(PATTERNS[index] if index < len(PATTERNS) else
                               f"{self.rng.choice(DOMAINS)}-{self.rng.choice(PATTERNS)}")
        status = "draft" if index % 10 == 3 else "approved"
        data = self.base("architecture", entry_id, titled(entry_id), status)
        tools = self.recommended_tools()
        data.update(problem=self.text.prose(), when_to_use=self.text.lines(2, 4), when_not_to_use=self.text.lines(1, 3),
                    components=[{"name": titled(k), "responsibility": self.text.line(),
                                 "tool": self.ref(self.rng.choice(tools)) if self.rng.random() < 0.6 else None}
                                for k in self.rng.sample(sorted(VOCABULARY), self.rng.randint(4, 8))],
                    data_flow=self.text.lines(3, 6), nfrs=self.nfrs(),
                    failure_modes=[{"failure": self.text.line(), "fallback": self.text.line()}
                                   for _ in range(self.rng.randint(2, 4))],
                    rollout=self.text.prose(), rollback=self.text.prose(),
                    standards=self.refs(self.of("standard"), 2, 5), checklists=[], threats=[], adrs=[],
                    tools=self.refs(tools, 2, 6), kpis=self.refs(self.of("kpi", "active", "proposed"), 1, 3),
                    incident_playbooks=[], diagram=None)

    def nfrs(self) -> Data:
        return {"latency_budget": [f"{titled(t)}: {self.rng.randint(20, 1500)} ms p95"
                                   for t in self.rng.sample(TOPICS, self.rng.randint(2, 5))],
                "slos": [{"sli": self.text.line(), "objective": f"≤ {self.rng.randint(1, 8)} s for "
                          f"{self.rng.choice((95, 99, 99.5))}% of 5-minute windows"} for _ in range(self.rng.randint(1, 3))],
                "cost_drivers": self.text.lines(1, 3)}

    def diagram(self, own: str) -> Data:
        """6-12 nodes of kinds every listed provider can draw, a tree of edges plus a few more, maybe clusters."""
        rng = self.rng
        providers = rng.choice([list(PROVIDERS)] * 6 + [["aws"], ["azure"], ["aws", "azure"], ["gcp"]])
        kinds = [k for k, v in VOCABULARY.items() if all(v.has_mapping(p) for p in providers)]
        chosen = rng.sample(kinds, rng.randint(6, 12))
        targets = [t for t in self.recommended_tools() + self.of("standard") + self.of("architecture") if t != own]
        nodes = [{"id": k, "label": VOCABULARY[k].description.split(":")[0][:60], "kind": k,
                  "ref": self.ref(rng.choice(targets)) if rng.random() < 0.3 else None} for k in chosen]
        pairs = [(rng.choice(chosen[:i]), chosen[i]) for i in range(1, len(chosen))]
        pairs += [tuple(rng.sample(chosen, 2)) for _ in range(rng.randint(0, 3))]
        edges = [{"from": a, "to": b, "label": rng.choice(OBJECTS) if rng.random() < 0.6 else None,
                  "style": self.status(("data", 0.6), ("control", 0.15), ("async", 0.2), ("optional", 0.05))}
                 for a, b in dict.fromkeys(pairs)]
        for edge in edges:
            if edge["style"] == "data":  # the default, left out as people do
                edge["style"] = None
        diagram: Data = {"providers": providers, "direction": rng.choice(("LR", "LR", "TB")), "nodes": nodes,
                         "edges": edges, "clusters": []}
        if rng.random() < 0.4:
            group = rng.sample(chosen, rng.randint(2, 5))
            inner = group[2:] if rng.random() < 0.3 else []
            cluster: Data = {"id": "core", "label": "Request path", "nodes": group[:2] + ([] if inner else group[2:]),
                             "clusters": [{"id": "data", "label": "Data path", "nodes": inner}] if inner else []}
            diagram["clusters"] = [cluster]
        return diagram

    def initiative(self, index: int) -> None:
        entry_id = self.new_id(f"{self.rng.choice(DOMAINS)}-{self.rng.choice(USES)}")
        status = "paused" if index % 9 == 4 else "retired" if index % 13 == 7 else "active"
        data = self.base("initiative", entry_id, titled(entry_id), status)
        stage = self.rng.choice(("discovery", "build", "pilot", "production", "production"))
        data.update(stage=stage, description=self.text.prose(), architecture=None, no_architecture_reason=None,
                    adrs=[], review=self.review(stage), checklists=[],
                    ai_act={"tier": self.rng.choice(("minimal", "minimal", "transparency")),
                            "reasoning": self.text.prose()})

    def review(self, stage: str) -> Data:
        if stage == "discovery":
            return {}
        submitted = dt.date.fromisoformat(self.date(dt.date(2025, 1, 1), dt.date(2026, 10, 1)))
        return {"submitted": submitted.isoformat(),
                "decided": (submitted + dt.timedelta(days=self.rng.randint(3, 30))).isoformat(),
                "decision": self.status(("approved", 0.5), ("approved-with-conditions", 0.35),
                                        ("changes-requested", 0.15))}

    def answers(self, initiative: Data, checklist: Data) -> Data:
        done = {"discovery": 0.2, "build": 0.5, "pilot": 0.75, "production": 0.95}[initiative["stage"]]
        answers = []
        for item in self.rng.sample(checklist["items"], self.rng.randint(len(checklist["items"]) // 2,
                                                                         len(checklist["items"]))):
            roll = self.rng.random()
            if roll < done:
                answers.append({"item": item["id"], "state": "done", "evidence":
                                f"https://git.example.com/{initiative['owners'][0]}/{initiative['id']}/-/blob/main/docs/"
                                f"{item['id']}.md"})
            elif roll < done + 0.1:
                answers.append({"item": item["id"], "state": "not-applicable", "reason": self.text.line()})
            else:
                answers.append({"item": item["id"], "state": "open", "reason": self.text.line()})
        return {"checklist": self.ref(checklist["id"]), "answers": answers}

    def exception(self, _: int) -> None:
        initiative = self.rng.choice([i for i in self.entries["initiative"] if i["status"] == "active"])
        standard = self.rng.choice([s for s in self.entries["standard"] if s["status"] == "active"])
        rule = self.rng.choice(standard["rules"])["id"]
        entry_id = self.new_id(f"{initiative['id']}-{rule}")
        status = self.status(("approved", 0.5), ("requested", 0.2), ("closed", 0.2), ("rejected", 0.1))
        data = self.base("exception", entry_id, f"{titled(initiative['id'])}: {rule.replace('-', ' ')}", status)
        if self.rng.random() < 0.15:
            data["visibility"] = "restricted"
        expires = self.date(dt.date(2025, 6, 1), dt.date(2026, 6, 1)) if status == "closed" else \
            self.date(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
        data.update(standard=self.ref(standard["id"]), rule=rule, initiative=self.ref(initiative["id"]),
                    reason=self.text.prose(), compensating_controls=self.text.lines(1, 3),
                    approved_by=self.rng.choice(ROLES), adr=self.ref(self.rng.choice(self.live_adrs)), expires=expires)

    def onboarding(self, index: int) -> None:
        audience = ("ml-engineers", "product-managers", "architects", "sre", "data-scientists", "security")
        entry_id = self.new_id(f"{audience[index % len(audience)]}-onboarding")
        data = self.base("onboarding-kit", entry_id, titled(entry_id), "active")
        pools = [self.of("architecture", "approved"), self.of("standard"), self.of("checklist"), self.live_adrs,
                 self.of("tool", "active")]
        phases = [{"id": f"week-{n}", "title": f"Week {n}", "goal": self.text.prose(),
                   "tasks": [{"id": f"week-{n}-task-{t}", "title": self.text.line(),
                              "entry": self.ref(self.rng.choice(self.rng.choice(pools))), "done_when": self.text.line()}
                             for t in range(1, self.rng.randint(3, 5) + 1)]}
                  for n in range(1, self.rng.randint(3, 4) + 1)]
        data.update(audience=titled(audience[index % len(audience)]), phases=phases)

    # -- wiring -----------------------------------------------------------------------------------

    @property
    def live_adrs(self) -> list[str]:
        return self.of("adr", "accepted", "proposed")

    def enforce(self) -> None:
        """Every standard is enforced by at least one checklist item, some by more."""
        items = [item for c in self.entries["checklist"] for item in c["items"]]
        standards = self.of("standard")
        self.rng.shuffle(items)
        for n, standard in enumerate(standards):
            items[n % len(items)]["enforces"].append(self.ref(standard))
        for item in self.rng.sample(items, len(items) // 3):
            extra = self.rng.choice(standards)
            if extra not in item["enforces"]:
                item["enforces"].append(self.ref(extra))
        for standard in self.entries["standard"]:
            others = [s for s in self.rng.sample(standards, 2) if s != standard["id"]]
            standard["related"] = [self.ref(s) for s in others[: self.rng.randint(0, 2)]]

    def spread(self, holders: list[Data], field: str, pool: list[str], extra: int) -> None:
        """Every id of `pool` lands in `field` of some holder (round robin), plus up to `extra` at random each."""
        if not holders:
            return
        shuffled = self.rng.sample(pool, len(pool))
        picks = [(holders[n % len(holders)], target) for n, target in enumerate(shuffled)]
        for holder in holders:
            picks += [(holder, target) for target in self.rng.sample(pool, min(len(pool), self.rng.randint(0, extra)))]
        for holder, target in picks:
            if target not in holder[field]:
                holder[field].append(self.ref(target))

    def wire(self) -> None:
        """Point architectures and initiatives at the entries they apply, so no entry is an orphan."""
        architectures, initiatives = self.entries["architecture"], self.entries["initiative"]
        for architecture in architectures:
            architecture["diagram"] = self.diagram(architecture["id"])
        self.spread(architectures, "checklists", self.of("checklist"), 2)
        self.spread(architectures, "threats", self.of("threat"), 3)
        self.spread(architectures, "incident_playbooks", self.of("incident-playbook"), 1)
        self.spread(architectures + initiatives, "adrs", self.live_adrs, 2)
        ended = [a["id"] for a in self.entries["adr"] if a["status"] in ("rejected", "deprecated")]
        quiet = [e for e in architectures + initiatives if e["status"] in ("draft", "paused", "retired")]
        self.spread(quiet, "adrs", ended, 0)
        order = self.rng.sample(architectures, len(architectures))
        by_id = {c["id"]: c for c in self.entries["checklist"]}
        for n, initiative in enumerate(initiatives):
            followed = order[n % len(order)] if n % 12 != 11 else None
            if followed:
                initiative["architecture"] = self.ref(followed["id"])
            else:
                initiative["no_architecture_reason"] = self.text.line()
            applicable = followed["checklists"] if followed else self.rng.sample(list(by_id), 1)
            initiative["checklists"] = [self.answers(initiative, by_id[c]) for c in applicable[:3]]

    def adopt_orphans(self) -> None:
        """Whatever no entry links to yet becomes a task of an onboarding kit."""
        roots = {"onboarding-kit", "initiative", "team", "exception", "tool", "kpi"}
        kits = self.entries["onboarding-kit"]
        orphans = [e["id"] for kind, entries in self.entries.items() if kind not in roots
                   for e in entries if e["id"] not in self.linked]
        for n, orphan in enumerate(orphans):
            phase = kits[n % len(kits)]["phases"][-1]
            phase["tasks"].append({"id": f"read-{orphan}"[:80].rstrip("-"), "title": f"Read {titled(orphan)}",
                                   "entry": self.ref(orphan), "done_when": self.text.line()})

    def build(self) -> dict[str, list[Data]]:
        """Every entry, kinds in dependency order, references wired."""
        n = self.counts
        for index in range(n["team"]):
            self.team(index)
        for index in range(n["framework"]):
            self.framework(index)
        for index in range(n["adr-template"]):
            self.adr_template(index)
        for index in range(n["standard"]):
            self.standard(index)
        for index in range(n["checklist"]):
            self.checklist(index)
        self.item_refs = [f"{c['id']}#{i['id']}" for c in self.entries["checklist"] for i in c["items"]]
        self.enforce()
        for kind, make in (("tool", self.tool), ("kpi", self.kpi), ("threat", self.threat),
                           ("incident-playbook", self.incident)):
            for index in range(n[kind]):
                make(index)
        for index in range(n["adr"]):
            self.adr(index, n["adr"])
        for index in range(n["architecture"]):
            self.architecture(index)
        for index in range(n["initiative"]):
            self.initiative(index)
        self.wire()
        for index in range(n["exception"]):
            self.exception(index)
        for index in range(n["onboarding-kit"]):
            self.onboarding(index)
        self.adopt_orphans()
        return self.entries


def clean(value: Any) -> Any:
    """Drop empty lists, empty mappings and None, as a person writing the file would."""
    if isinstance(value, dict):
        kept = {k: clean(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def write_catalog(target: Path, size: int, seed: int = 0) -> dict[str, int]:
    """Write `size` entries under target/catalog/<kind folder>/<id>.yaml; return the count per kind."""
    catalog = target / "catalog"
    if catalog.exists() and any(catalog.rglob("*.yaml")):
        raise FileExistsError(f"{catalog} already holds catalog files; write into an empty folder")
    entries = Synthesizer(size, seed).build()
    for model in KINDS:
        folder = catalog / model.folder
        folder.mkdir(parents=True, exist_ok=True)
        for data in entries[model.kind]:
            text = schema_line(model.kind) + "\n" + yaml.dump(clean(data), Dumper=DUMPER, sort_keys=False,
                                                             allow_unicode=True)
            (folder / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return {kind: len(items) for kind, items in entries.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000, help="number of entries (at least %d)" % MIN_SIZE)
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder that receives catalog/")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        written = write_catalog(args.output, args.size, args.seed)
    except (ValueError, FileExistsError) as exc:
        raise SystemExit(f"error: {exc}") from exc
    elapsed = time.perf_counter() - started
    for kind, count in written.items():
        print(f"{kind:<18} {count:5d}")
    print(f"{'total':<18} {sum(written.values()):5d}  ({elapsed:.2f} s, {args.output / 'catalog'})")


if __name__ == "__main__":
    main()
