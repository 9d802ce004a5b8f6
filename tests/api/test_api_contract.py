"""The API says what it accepts and answers what it says (issue 10, item 6): the OpenAPI schema
and the code agree, body by body and field by field.

Each test here reproduces a disagreement found by reading the schema or by schemathesis
(tests/api/test_schemathesis.py), fixed at its root.
"""

from __future__ import annotations

import importlib
import io
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


# ---------------------------------------------------------------------------
# Found by schemathesis (tests/api/test_schemathesis.py)


def _operations():
    from tests.api.test_hostile_requests import OPERATIONS

    return OPERATIONS


def test_date_parameters_take_dates_not_timestamps(world, api):
    """pydantic's `date` reads `0` and `"1656547200"` as Unix timestamps: `?valid_on=0` was
    1970-01-01, a schema-violating request accepted. Every date parameter and body field of the
    schema refuses them."""
    from tests.api.test_hostile_requests import _first_choice, sample, send, url

    compiler = api(world.compiler).client
    swept = 0
    for operation in _operations():
        for param in operation.params_in("query"):
            if _first_choice(param["schema"]).get("format") == "date":
                for value in ("0", "1656547200", "2022-06-30T00:00:00", "20220630"):
                    response = send(compiler, operation, url(operation), {param["name"]: value})
                    assert response.status_code == 422, (str(operation), param["name"], value, response.content)
                swept += 1
        if "application/json" in operation.body_types:
            body_schema = _first_choice(operation.body_schema("application/json"))
            for name, prop in body_schema.get("properties", {}).items():
                if _first_choice(prop).get("format") == "date":
                    for value in (0, 1656547200, "1656547200", "2022-06-30T00:00:00"):
                        body = sample(body_schema) | {name: value}
                        response = send(compiler, operation, url(operation), body=body)
                        assert response.status_code == 422, (str(operation), name, value, response.content)
                    swept += 1
    assert swept >= 15


def test_json_bodies_must_be_objects(world, api):
    """ninja's Schema reads any value attribute by attribute: `"AAA"` was an agenda item with every
    field at its default (201), `[null, null]` a recompute (200)."""
    from tests.api.test_hostile_requests import send, url

    compiler = api(world.compiler).client
    for operation in [op for op in _operations() if "application/json" in op.body_types]:
        for body in ('"AAA"', "[null, null]", "1", "true"):
            response = send(compiler, operation, url(operation), body=body)
            if operation.path == "/api/v1/exchange/dataValueSets":  # read by the importer: its own message
                assert_error(response, 400)
            else:
                refused = assert_error(response, 422, "Dữ liệu gửi lên không hợp lệ.")
                assert "đối tượng" in refused["extra"]["errors"][0]["msg"], (str(operation), body, refused)


def _input_models() -> dict[str, type]:
    """Every schema a client sends, as ninja reads it: the fields of every operation's parameter
    models, and the models nested in them."""
    from typing import get_args

    from pydantic import BaseModel

    from baocao.config.api import api

    found: dict[str, type] = {}
    stack: list = []
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    stack.extend(field.annotation for field in model.model_fields.values())
    while stack:
        annotation = stack.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in found:
                found[annotation.__name__] = annotation
                stack.extend(field.annotation for field in annotation.model_fields.values())
        else:
            stack.extend(get_args(annotation))
    return found


def test_every_input_schema_refuses_what_is_not_an_object(world, api):
    """A required body sent as `null` was read as a body of defaults (an agenda item, an outline
    left unchanged): every input schema derives from InputSchema, which refuses non-objects."""
    from baocao.core.api_types import InputSchema

    models = _input_models()
    assert {"AgendaIn", "TaskSpecIn", "UnitFilters", "TokenIn", "ImportIn", "Input"} <= set(models)
    assert [name for name, model in models.items() if not issubclass(model, InputSchema)] == []
    from tests.api.test_hostile_requests import send, url

    compiler = api(world.compiler).client
    for operation in [op for op in _operations() if "application/json" in op.body_types]:
        required = SCHEMA["paths"][operation.path][operation.method].get("requestBody", {}).get("required")
        if operation.path == "/api/v1/exchange/dataValueSets":
            continue
        response = send(compiler, operation, url(operation), body="null")
        if required:
            assert_error(response, 422)
        else:  # an optional body may be null, as its schema says (anyOf …, null)
            assert response.status_code != 422, (str(operation), response.content)


def test_long_titles_fit_the_word_file_properties(world, api):
    """A meeting named with 500 characters (the field's limit) made its invitation and article 500:
    python-docx refuses a file property (title, author) over 255 characters."""
    import docx

    compiler = api(world.compiler)
    title = "Hội nghị " + "sơ kết " * 70
    created = compiler.post("/meetings", {"title": title[:500], "organiser": "DEPT", "date": "2022-07-07"})
    assert created.status_code == 201, created.content
    meeting = created.json()["id"]
    for kind in ("invitation", "minutes", "article"):
        response = compiler.get(f"/meetings/{meeting}/documents/{kind}", {"format": "docx"})
        assert response.status_code == 200, (kind, response.content[:300])
        properties = docx.Document(io.BytesIO(response.content)).core_properties
        assert 200 < len(properties.title) <= 255 and properties.title.endswith("…"), properties.title


def test_dhis2_body_is_declared_and_its_types_are_checked(world, api):
    """POST /exchange/dataValueSets reads its body itself: it is declared (JSON and CSV), and a
    value of the wrong type is refused (400), not read as its `str()` (`{}` was a comment)."""
    body = SCHEMA["paths"]["/api/v1/exchange/dataValueSets"]["post"]["requestBody"]
    assert {"application/json", "text/csv"} <= set(body["content"]) and body["required"] is True
    assert body["content"]["application/json"]["schema"]["properties"]["dataValues"]["items"] == {
        "$ref": "#/components/schemas/DataValueIn"}
    client = api(world.compiler).client
    url = "/api/v1/exchange/dataValueSets?dataSet=BC-TEST&dryRun=true"
    good = {"period": "2022S1", "orgUnit": "UA", "dataValues": [{"dataElement": "A", "value": "1"}]}
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "SUCCESS", response.content
    for item in ({"dataElement": None}, {"dataElement": 7}, {"dataElement": "A", "comment": {}},
                 {"dataElement": "A", "orgUnit": ["UA"]}, {"dataElement": "A", "value": {"v": 1}}):
        response = client.post(url, good | {"dataValues": [item]}, content_type="application/json")
        assert_error(response, 400, "dataValueSet" if "value" not in item else "value")
    assert_error(client.post(url, good | {"orgUnit": 5}, content_type="application/json"), 400, "orgUnit")


def test_exports_declare_every_content_type_they_answer(world, api):
    """The export was documented as application/octet-stream; it answers CSV, XLSX and JSON, each
    now declared (JSON with its shape)."""
    make_submitted(world)
    client = api(world.compiler)
    for path, params, formats in (
            ("/exchange/export", {"regime": "BC-TEST", "period": "2022S2"}, ("csv", "xlsx", "json", "dhis2-json",
                                                                             "dhis2-csv")),
            ("/exchange/dataValueSets", {"dataSet": "BC-TEST", "period": "2022S2"}, ("json", "csv"))):
        content = SCHEMA["paths"]["/api/v1" + path]["get"]["responses"]["200"]["content"]
        for fmt in formats:
            response = client.get(path, params | {"format": fmt})
            assert response.status_code == 200, (path, fmt, response.content[:300])
            media_type = response["Content-Type"].split(";")[0]
            assert media_type in content, (path, fmt, media_type, list(content))
            if media_type == "application/json":
                root = {**content[media_type]["schema"], "components": SCHEMA["components"]}
                errors = list(jsonschema_rs.validator_for(root).iter_errors(response.json()))
                assert errors == [] and response.json(), (path, fmt, [e.message for e in errors])


def test_uploads_declare_that_a_file_is_not_empty(world, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for path in ("/api/v1/exchange/import", "/api/v1/submissions/{submission_id}/template"):
        schema = SCHEMA["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        assert schema["properties"]["file"] == {"format": "binary", "minLength": 1, "title": "File", "type": "string"}
    response = api(world.compiler).client.post("/api/v1/exchange/import", {"file": SimpleUploadedFile("x.csv", b"")})
    assert_error(response, 400)


def test_parameter_examples_are_example_objects():
    """ninja copies a field's `examples` (a JSON Schema list) to its parameter, where OpenAPI wants
    a map of Example Objects."""
    seen = 0
    for operations in SCHEMA["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if "examples" in parameter:
                    seen += 1
                    assert all(set(example) == {"value"} for example in parameter["examples"].values()), parameter
    assert seen >= 5


def _string_properties(node, where=""):
    """Every string property of the schema's components (nested anyOf included), with its path."""
    if isinstance(node, dict):
        if node.get("type") == "string":
            yield where, node
        for key, value in node.items():
            yield from _string_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _string_properties(value, f"{where}/{i}")


def test_required_codes_declare_that_control_characters_are_not_text():
    """The API drops control characters from every string before validation (core.input), so a code
    of control characters only arrives empty and is refused as too short (422): a schema that allowed
    it would call that request valid (schemathesis' stateful run once sent organiser "\\u001a").
    Every string that must not be empty states, by its pattern, that control characters do not count."""
    import re

    from baocao.core.api_types import CODE_PATTERN

    loose = []
    for where, prop in _string_properties(SCHEMA["components"]["schemas"]):
        if prop.get("minLength", 0) >= 1 and "format" not in prop and "enum" not in prop:
            pattern = prop.get("pattern")
            if pattern is None or re.fullmatch(pattern, "\x1a") or re.fullmatch(pattern, "\x1a\x1f"):
                loose.append(where)
    assert loose == [], loose
    assert re.fullmatch(CODE_PATTERN, "BC-TTTT") and re.fullmatch(CODE_PATTERN, "Sở KH&CN")
