"""Archive validation: a good archive parses; malformed or hostile ones are refused, saying where and why."""
from __future__ import annotations

import json

import pytest

from server.domain import limits
from server.domain.errors import DomainError
from server.export import archive_schema, json_archive
from tests.golden.snapshot import sample_snapshot


def _raw(snapshot: dict) -> str:
    return json_archive.render(snapshot)


def _refused(raw: str | bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        archive_schema.parse(raw)
    return caught.value


def test_a_sample_archive_parses():
    archive = archive_schema.parse(_raw(sample_snapshot()))
    assert archive.board.title == "Atelier <script>alert(0)</script>"
    assert [p.id for p in archive.projects] == [10, 11]


def _mutated(change) -> str:
    snapshot = sample_snapshot()
    change(snapshot)
    return _raw(snapshot)


CASES = {
    "unknown top-level key": (lambda s: s.update(extra=1), "invalid_archive", "extra"),
    "missing board": (lambda s: s.pop("board"), "invalid_archive", "board"),
    "string for an int": (lambda s: s["participants"][0].update(id="1"), "invalid_archive", "participants[0].id"),
    "bool for an int": (lambda s: s["projects"][0].update(goal_amount=True), "invalid_archive", "projects[0].goal_amount"),
    "title too long": (lambda s: s["projects"][0].update(title="x" * 121), "invalid_archive", "projects[0].title"),
    "story too long": (lambda s: s["projects"][0].update(story="x" * 4001), "invalid_archive", "projects[0].story"),
    "unknown ring": (lambda s: s["tribe_maps"][0]["nodes"][0].update(ring="moon"), "invalid_archive",
                     "tribe_maps[0].nodes[0].ring"),
    "position off the map": (lambda s: s["tribe_maps"][0]["nodes"][0].update(x=9.0), "invalid_archive",
                             "tribe_maps[0].nodes[0].x"),
    "dangling author": (lambda s: s["projects"][0].update(author_id=77), "invalid_archive", "projects[0].author_id"),
    "dangling link": (lambda s: s["tribe_maps"][0]["links"][0].update(to_node_id=999), "invalid_archive",
                      "tribe_maps[0].links[0].to_node_id"),
    "self link": (lambda s: s["tribe_maps"][0]["links"][0].update(to_node_id=100), "invalid_archive",
                  "tribe_maps[0].links[0]"),
    "duplicate participant id": (lambda s: s["participants"][1].update(id=1), "invalid_archive", "participants[1].id"),
    "javascript link": (lambda s: s["projects"][0].update(link="javascript:alert(1)"), "invalid_archive",
                        "projects[0].link"),
    "map of a missing project": (lambda s: s["tribe_maps"][0].update(project_id=55), "invalid_archive",
                                 "tribe_maps[0].project_id"),
    "ranking of an unrevealed round": (lambda s: s["vote_rounds"][0].update(state="open"), "invalid_archive",
                                       "vote_rounds[0].ranking"),
    "cap above budget": (lambda s: s["vote_rounds"][0].update(cap=9), "invalid_archive", "vote_rounds[0].cap"),
    "plan item for nobody": (lambda s: s["tribe_maps"][0]["plan_items"][0].update(node_id=None), "invalid_archive",
                             "tribe_maps[0].plan_items[0].whom"),
    "bad time": (lambda s: s["projects"][0].update(created_at="yesterday"), "invalid_archive", "projects[0].created_at"),
    "too many participants": (lambda s: s.update(participants=[dict(s["participants"][1], id=i)
                                                               for i in range(1, limits.PARTICIPANTS_PER_BOARD + 2)]),
                              "invalid_archive", "participants"),
    "too many nodes": (lambda s: s["tribe_maps"][0].update(nodes=[dict(s["tribe_maps"][0]["nodes"][1], id=1000 + i)
                                                                  for i in range(151)]),
                       "invalid_archive", "tribe_maps[0].nodes"),
    "empty display name": (lambda s: s["participants"][1].update(name="   "), "invalid_archive", "participants[1].name"),
    "newer schema": (lambda s: s.update(schema_version=2), "unsupported_archive_version", "schema_version"),
    "not an archive": (lambda s: s.update(kind="something.else"), "invalid_archive", "kind"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_malformed_archives_are_refused_naming_the_place(case):
    change, code, path = CASES[case]
    error = _refused(_mutated(change))
    assert error.code == code
    assert error.params["path"] == path
    assert path in error.message or code == "unsupported_archive_version"


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", b"null", b"\xff\xfe", "[" * 100_000, '{"a": NaN}'],
                         ids=["empty", "text", "array", "null", "binary", "deeply nested", "nan"])
def test_not_an_archive_at_all(raw):
    error = _refused(raw)
    assert error.code == "invalid_archive"
    assert error.message


def test_nan_inside_a_real_archive_is_refused():
    raw = _raw(sample_snapshot()).replace('"x": 0.5', '"x": NaN', 1)
    assert '"x": NaN' in raw
    error = _refused(raw)
    assert error.params["path"] == "tribe_maps[0].nodes[1].x"


def test_a_file_over_the_size_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(archive_schema, "MAX_ARCHIVE_BYTES", 1000)
    error = _refused(_raw(sample_snapshot()))
    assert error.code == "archive_too_large"


def test_the_error_lists_several_problems():
    snapshot = sample_snapshot()
    snapshot["participants"][0]["id"] = "one"
    snapshot["projects"][1]["title"] = 5
    error = _refused(json.dumps(snapshot))
    assert error.params["error_count"] == 2
    assert [e["path"] for e in error.params["errors"]] == ["participants[0].id", "projects[1].title"]
