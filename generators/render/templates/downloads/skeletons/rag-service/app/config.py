"""Settings, read from the environment; .env.example lists every one of them.

No setting is a secret (playbook/standards/secrets-and-iam/, rule no-static-secrets-in-artifacts): the
service authenticates to the LLM gateway with its workload identity token, read from a file the
platform mounts, and passes the caller's own token to retrieval. Provider keys live only in the
gateway (rule gateway-holds-provider-keys).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

REQUIRED = ("LLM_GATEWAY_URL", "LLM_ROUTE", "RETRIEVAL_URL", "PROMPT_ID", "PROMPT_VERSION", "WORKLOAD_TOKEN_FILE")


class ConfigError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    service_name: str
    service_version: str
    llm_gateway_url: str
    llm_route: str
    retrieval_url: str
    prompt_id: str
    prompt_version: str
    workload_token_file: str
    top_k: int
    max_output_tokens: int
    timeout_s: float


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise ConfigError(f"missing settings: {', '.join(missing)}")
    for name in ("LLM_GATEWAY_URL", "RETRIEVAL_URL"):
        if not environ[name].startswith("https://"):
            raise ConfigError(f"{name} must be an https address")
    try:
        return Settings(
            service_name=environ.get("SERVICE_NAME", "rag-service"),
            service_version=environ.get("SERVICE_VERSION", "0.0.0"),
            llm_gateway_url=environ["LLM_GATEWAY_URL"].rstrip("/"),
            llm_route=environ["LLM_ROUTE"],
            retrieval_url=environ["RETRIEVAL_URL"].rstrip("/"),
            prompt_id=environ["PROMPT_ID"],
            prompt_version=environ["PROMPT_VERSION"],
            workload_token_file=environ["WORKLOAD_TOKEN_FILE"],
            top_k=int(environ.get("RETRIEVAL_TOP_K", "8")),
            max_output_tokens=int(environ.get("MAX_OUTPUT_TOKENS", "800")),
            timeout_s=float(environ.get("UPSTREAM_TIMEOUT_S", "10")),
        )
    except ValueError as error:
        raise ConfigError(str(error)) from error
