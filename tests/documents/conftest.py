from __future__ import annotations

from pathlib import Path

import pytest

from baocao.documents.model import OfficialDocument
from tests.documents.samples import ARTIFACTS, sample_document


@pytest.fixture(scope="session")
def report() -> OfficialDocument:
    return sample_document()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
