"""DHIS2 data value sets: periods, both JSON forms, CSV, strategies, and the API's summary."""

from __future__ import annotations

import json

import pytest

from baocao.exchange.bulk import bulk_import
from baocao.exchange.dhis2 import period_from_dhis2, period_to_dhis2
from baocao.exchange.formats import read_file
from baocao.submissions.models import SubmissionNarrative, SubmissionValue
from tests.factories import World


@pytest.mark.parametrize("dhis,ours", [("202206", "2022M06"), ("2022Q2", "2022Q2"), ("2022S1", "2022S1"),
                                       ("2022", "2022")])
def test_periods(dhis, ours):
    assert period_from_dhis2(dhis) == ours
    assert period_to_dhis2(ours) == dhis


@pytest.fixture
def world(db) -> World:
    return World()


def load(world, body, strategy="CREATE_AND_UPDATE", regime=None, dry_run=False):
    parsed = read_file(json.dumps(body).encode(), fmt="dhis2-json")
    return bulk_import(rows=parsed.rows, acting_user=world.admin, strategy=strategy, regime=regime, dry_run=dry_run)


HEADER = {"dataSet": "BC-TEST", "period": "2022S1", "orgUnit": "UA",
          "dataValues": [{"dataElement": "A", "value": "2"}, {"dataElement": "RESULTS", "value": "",
                                                              "comment": "Đạt kế hoạch"}]}


def test_header_form_and_comment_as_narrative(world):
    summary = load(world, HEADER)
    assert (summary.imported, summary.written) == (2, True)
    assert SubmissionNarrative.objects.get().text == "Đạt kế hoạch"


def test_per_value_form_with_regime_parameter(world):
    body = {"dataValues": [{"dataElement": "B", "period": "2022S1", "orgUnit": "UB", "value": "7"}]}
    assert load(world, body, regime="BC-TEST").imported == 1
    assert SubmissionValue.objects.get().number == 7


def test_dry_run_writes_nothing(world):
    summary = load(world, HEADER, dry_run=True)
    assert summary.imported == 2 and not summary.written
    assert not SubmissionValue.objects.exists()


def test_create_ignores_existing_values(world):
    load(world, HEADER)
    body = dict(HEADER, dataValues=[{"dataElement": "A", "value": "9"}, {"dataElement": "B", "value": "4"}])
    summary = load(world, body, strategy="CREATE")
    assert (summary.imported, summary.ignored, summary.updated) == (1, 1, 0)
    assert SubmissionValue.objects.get(indicator__code="A").number == 2


def test_update_ignores_new_values(world):
    load(world, HEADER)
    body = dict(HEADER, dataValues=[{"dataElement": "A", "value": "9"}, {"dataElement": "B", "value": "4"}])
    summary = load(world, body, strategy="UPDATE")
    assert (summary.imported, summary.ignored, summary.updated) == (0, 1, 1)
    assert SubmissionValue.objects.get(indicator__code="A").number == 9
    assert not SubmissionValue.objects.filter(indicator__code="B").exists()


def test_delete_removes_values(world):
    load(world, HEADER)
    body = dict(HEADER, dataValues=[{"dataElement": "A", "value": "2"}, {"dataElement": "B", "value": ""}])
    summary = load(world, body, strategy="DELETE")
    assert (summary.deleted, summary.ignored) == (1, 1)
    assert not SubmissionValue.objects.exists()


def test_update_bumps_version_for_concurrent_editors(world):
    load(world, HEADER)
    body = dict(HEADER, dataValues=[{"dataElement": "A", "value": "3"}])
    load(world, body)
    value = SubmissionValue.objects.get(indicator__code="A")
    assert value.submission.version == 2 and value.changed_version == 2


def test_api_import_summary(world, api_client):
    client = api_client(world.admin)
    response = client.post("/api/v1/exchange/dataValueSets?dryRun=true", json.dumps(HEADER),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "SUCCESS" and body["importCount"]["imported"] == 2
    assert not SubmissionValue.objects.exists()


def test_api_export_children(world, api_client):
    load(world, HEADER)
    client = api_client(world.admin)
    response = client.get("/api/v1/exchange/dataValueSets", {"dataSet": "BC-TEST", "period": "2022S1",
                                                             "orgUnit": "P01", "children": "true"})
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    assert data["period"] == "2022S1" and {v["dataElement"] for v in data["dataValues"]} == {"A", "RESULTS"}


@pytest.fixture
def api_client():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
