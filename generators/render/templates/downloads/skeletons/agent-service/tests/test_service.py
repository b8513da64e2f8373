"""The agent API's contract: health endpoints, caller identity and the workflow kill switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import REQUIRED
from app.main import app
from app.telemetry import safe_attributes

client = TestClient(app)
CALLER = {
    "Authorization": "Bearer delegated",
    "X-Authenticated-User": "ana",
    "X-Authenticated-Groups": "support-agents",
}


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("workload-token-for-tests\n", encoding="utf-8")
    settings = {
        "LLM_GATEWAY_URL": "https://llm-gateway.test",
        "LLM_ROUTE": "agent-planner",
        "PROMPT_ID": "triage-planner",
        "PROMPT_VERSION": "1.0.0",
        "WORKLOAD_TOKEN_FILE": str(token),
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


def test_liveness_needs_nothing_else() -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_not_ready_until_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in REQUIRED:
        monkeypatch.delenv(name, raising=False)
    assert client.get("/readyz").status_code == 503


def test_ready_lists_the_workflows(configured: None) -> None:
    assert client.get("/readyz").json() == {"status": "ready", "workflows": ["ticket-triage"], "tools": 4}


def test_a_run_needs_an_authenticated_caller(configured: None) -> None:
    body = {"workflow": "ticket-triage", "task": "Triage T-1"}
    assert client.post("/v1/runs", json=body).status_code == 422
    assert client.post("/v1/runs", json=body, headers={**CALLER, "Authorization": "Basic x"}).status_code == 401


def test_a_switched_off_workflow_takes_no_new_runs(configured: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_DISABLED_WORKFLOWS", "ticket-triage")
    response = client.post("/v1/runs", json={"workflow": "ticket-triage", "task": "Triage T-1"}, headers=CALLER)
    assert response.status_code == 404


def test_tool_spans_refuse_arguments_and_results() -> None:
    with pytest.raises(ValueError):
        safe_attributes({"gen_ai.tool.call.arguments": "{}"})
