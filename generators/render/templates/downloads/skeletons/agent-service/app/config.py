"""Settings, read from the environment; .env.example lists every one of them.

No setting is a secret (playbook/standards/secrets-and-iam/): the runtime authenticates to the LLM
gateway with the workload identity token the platform mounts, and tools act with the caller's
delegated token, limited to the scopes the tool needs (rule delegated-tool-tokens).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from app.budget import Budget, budget_from_env

REQUIRED = ("LLM_GATEWAY_URL", "LLM_ROUTE", "PROMPT_ID", "PROMPT_VERSION", "WORKLOAD_TOKEN_FILE")


class ConfigError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    service_name: str
    service_version: str
    llm_gateway_url: str
    llm_route: str
    prompt_id: str
    prompt_version: str
    workload_token_file: str
    budget: Budget
    timeout_s: float


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise ConfigError(f"missing settings: {', '.join(missing)}")
    if not environ["LLM_GATEWAY_URL"].startswith("https://"):
        raise ConfigError("LLM_GATEWAY_URL must be an https address")
    try:
        return Settings(
            service_name=environ.get("SERVICE_NAME", "agent-service"),
            service_version=environ.get("SERVICE_VERSION", "0.0.0"),
            llm_gateway_url=environ["LLM_GATEWAY_URL"].rstrip("/"),
            llm_route=environ["LLM_ROUTE"],
            prompt_id=environ["PROMPT_ID"],
            prompt_version=environ["PROMPT_VERSION"],
            workload_token_file=environ["WORKLOAD_TOKEN_FILE"],
            budget=budget_from_env(environ),
            timeout_s=float(environ.get("UPSTREAM_TIMEOUT_S", "10")),
        )
    except ValueError as error:
        raise ConfigError(str(error)) from error
