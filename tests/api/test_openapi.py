"""The committed openapi.json is the API's contract: it must match the code."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.config.management.commands.export_openapi import DEFAULT_OUTPUT, openapi_schema, openapi_text

STALE = "openapi.json is out of date: run `baocao export_openapi` and commit the file."


def test_committed_schema_matches_the_code():
    assert DEFAULT_OUTPUT.exists(), STALE
    committed = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8"))
    assert committed == openapi_schema(), STALE


def test_schema_basics():
    schema = openapi_schema()
    assert schema["info"]["title"] == "baocao API" and schema["info"]["version"] == "1"
    assert set(schema["components"]["securitySchemes"]) == {"BearerTokenAuth", "BrowserSessionAuth"}
    token = schema["paths"]["/api/v1/auth/token"]["post"]
    assert "security" not in token
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"]["4XX"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"}, (method, path)
            if (method, path) != ("post", "/api/v1/auth/token"):
                assert operation.get("security"), (method, path)


def test_export_writes_and_check_detects_drift(tmp_path):
    target = tmp_path / "openapi.json"
    with pytest.raises(CommandError, match="baocao export_openapi") as excinfo:
        call_command("export_openapi", "--check", "--output", str(target))
    assert excinfo.value.returncode == 1
    call_command("export_openapi", "--output", str(target))
    assert target.read_text(encoding="utf-8") == openapi_text()
    call_command("export_openapi", "--check", "--output", str(target))
    schema = json.loads(target.read_text(encoding="utf-8"))
    schema["info"]["version"] = "0"
    target.write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(CommandError, match="baocao export_openapi"):
        call_command("export_openapi", "--check", "--output", str(target))
