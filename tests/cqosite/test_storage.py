"""Production's static files storage works out each hashed URL once per process."""

import json

import pytest

from cqosite.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"paths": {"css/portal.css": "css/portal.5f3a.css"}, "version": "1.1", "hash": "0"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_urls_come_from_the_manifest_once(storage):
    assert storage.url("css/portal.css") == "/static/css/portal.5f3a.css"
    storage.hashed_files["css/portal.css"] = "css/portal.changed.css"
    assert storage.url("css/portal.css") == "/static/css/portal.5f3a.css"  # remembered: no manifest look-up


def test_a_file_missing_from_the_manifest_is_still_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
