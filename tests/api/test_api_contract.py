"""The API says what it accepts and answers what it says (issue 10, item 6): the OpenAPI schema
and the code agree, body by body and field by field.

Each test here reproduces a disagreement found by reading the schema or by schemathesis
(tests/api/test_schemathesis.py), fixed at its root.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

import jsonschema_rs
import pytest
from ninja import Schema

import baocao
from baocao.config.management.commands.export_openapi import openapi_schema
from baocao.consolidation.schemas import ReportDocumentOut
from baocao.core.api_types import LOCAL_TIME_PATTERN
from baocao.submissions.choices import SubmissionStatus
from tests.api.conftest import assert_error, make_submitted
from tests.meetings.conftest import seed_version

pytestmark = pytest.mark.django_db

SCHEMA = openapi_schema()  # as committed: plain JSON


def conforms(instance, component: str) -> list[str]:
    """The errors of `instance` against a component of the schema, formats checked."""
    root = {"$ref": f"#/components/schemas/{component}", "components": SCHEMA["components"]}
    validator = jsonschema_rs.validator_for(root, validate_formats=True)
    return [error.message for error in validator.iter_errors(instance)]


def body_component(method: str, path: str) -> dict:
    schema = SCHEMA["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    ref = schema["$ref"] if "$ref" in schema else next(s["$ref"] for s in schema["anyOf"] if "$ref" in s)
    return SCHEMA["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_schema_names_are_unique_across_apps():
    """OpenAPI names components after the classes: two schemas with one name are one component,
    and one of the endpoints is documented with the other's body (two `CommentIn` did that)."""
    seen: dict[str, str] = {}
    clashes = []
    for module_info in pkgutil.walk_packages(baocao.__path__, "baocao."):
        if "migrations" in module_info.name or module_info.name.rsplit(".", 1)[-1] not in {
                "schemas", "api", "bulk_api", "template_api"}:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                where = f"{module.__name__}.{value.__name__}"
                if value.__name__ in seen and seen[value.__name__] != where:
                    clashes.append((seen[value.__name__], where))
                seen.setdefault(value.__name__, where)
    assert clashes == []


def test_each_comment_endpoint_documents_the_body_it_reads(world, api):
    returned = body_component("post", "/api/v1/submissions/{submission_id}/return")
    approved = body_component("post", "/api/v1/submissions/{submission_id}/approve")
    task = body_component("post", "/api/v1/tasks/{task_id}/comments")
    assert (set(returned["properties"]), returned["required"]) == ({"comment"}, ["comment"])
    assert set(approved["properties"]) == {"comment"} and "required" not in approved
    assert (set(task["properties"]), task["required"]) == ({"text"}, ["text"])

    compiler = api(world.compiler)
    first = make_submitted(world)
    body = compiler.post(f"/submissions/{first.pk}/return", {"comment": "Kiểm tra lại chỉ tiêu B."}).json()
    assert (body["status"], body["return_comment"]) == (SubmissionStatus.RETURNED, "Kiểm tra lại chỉ tiêu B.")
    # What the documentation showed until the names were told apart is still read.
    second = make_submitted(world, unit=world.unit_b)
    body = compiler.post(f"/submissions/{second.pk}/return", {"text": "Thiếu thuyết minh."}).json()
    assert body["return_comment"] == "Thiếu thuyết minh."
    assert_error(compiler.post(f"/submissions/{second.pk}/return", {}), 422)


def test_meeting_start_time_is_the_local_time_its_schema_declares(world, api):
    declared = SCHEMA["components"]["schemas"]["MeetingOut"]["properties"]["start_time"]["anyOf"][0]
    assert declared == {"type": "string", "pattern": LOCAL_TIME_PATTERN, "description": declared["description"]}
    compiler = api(world.compiler)
    new = {"title": "Hội nghị sơ kết", "organiser": "DEPT", "date": "2022-07-07", "start_time": "08:00"}
    created = compiler.post("/meetings", new)
    assert created.status_code == 201, created.content
    assert created.json()["start_time"] == "08:00:00"
    assert conforms(created.json(), "MeetingOut") == []
    assert compiler.post("/meetings", new | {"start_time": None}).json()["start_time"] is None
    # An offset (what `format: time` asked for) is refused, not a 500 from the database backend.
    for value in ("08:00:00Z", "08:00:00+07:00", "8:00", "24:00", "08:00:00.5", 28800, "tám giờ"):
        assert_error(compiler.post("/meetings", new | {"start_time": value}), 422)


def test_report_document_as_json_is_declared_and_conforms(world, api):
    content = SCHEMA["paths"]["/api/v1/reports/{report_id}/versions/{number}/document"]["get"]["responses"]["200"][
        "content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportDocumentOut"}
    assert {"application/pdf", "text/html"} <= set(content)
    version = seed_version(department=world.department, regime_obj=world.regime, compiler=world.compiler,
                           reporting_unit=world.unit_a)
    response = api(world.compiler).get(f"/reports/{version.report_id}/versions/1/document", {"format": "json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert conforms(response.json(), "ReportDocumentOut") == []
    ReportDocumentOut.model_validate(response.json())
    assert response.json()["version"] == 1 and response.json()["parts"]


def test_dates_in_queries_stay_within_the_calendar(world, api):
    """`valid_on=99999-01-01` and friends: 422, as any malformed date."""
    compiler = api(world.compiler)
    assert compiler.get("/units", {"valid_on": date(2022, 6, 30).isoformat()}).status_code == 200
    for value in ("99999-01-01", "0000-01-01", "2022-02-30"):
        assert_error(compiler.get("/units", {"valid_on": value}), 422)
