"""Import on SQLite and PostgreSQL: export → import → export gives the same archive but for ids and times;
a malformed or hostile archive is refused with a clear error and nothing is written."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from server.domain.errors import DomainError
from server.export import json_archive
from server.persistence.models import Board, Participant, Project
from server.services import identity
from server.services.archive import exports, imports
from tests.golden.board import build_board

def normalised(snapshot: dict) -> dict:
    """The archive with ids renumbered by order of appearance and every time, the code and export time blanked."""
    snap = json.loads(json.dumps(snapshot))
    people = {p["id"]: i for i, p in enumerate(snap["participants"], 1)}
    projects = {p["id"]: i for i, p in enumerate(snap["projects"], 1)}
    nodes = {n["id"]: i for i, n in enumerate((n for m in snap["tribe_maps"] for n in m["nodes"]), 1)}
    links = {link["id"]: i for i, link in enumerate((link for m in snap["tribe_maps"] for link in m["links"]), 1)}
    items = {item["id"]: i for i, item in enumerate((item for m in snap["tribe_maps"] for item in m["plan_items"]), 1)}
    person = lambda value: people.get(value) if value is not None else None  # noqa: E731

    def blank_times(obj):
        if isinstance(obj, dict):
            return {k: (None if k.endswith("_at") else blank_times(v)) for k, v in obj.items()}
        if isinstance(obj, list):
            return [blank_times(v) for v in obj]
        return obj

    snap["board"]["code"] = "CODE"
    for p in snap["participants"]:
        p["id"] = people[p["id"]]
    for p in snap["projects"]:
        p["id"], p["author_id"] = projects[p["id"]], person(p["author_id"])
    for r in snap["vote_rounds"]:
        r["candidates"] = [projects[pid] for pid in r["candidates"]] if r["candidates"] is not None else None
        for entry in r["ranking"] or []:
            entry["project_id"] = projects[entry["project_id"]]
    for m in snap["tribe_maps"]:
        m["project_id"] = projects[m["project_id"]]
        for n in m["nodes"]:
            n["id"], n["added_by"] = nodes[n["id"]], person(n["added_by"])
        for link in m["links"]:
            link.update(id=links[link["id"]], from_node_id=nodes[link["from_node_id"]], to_node_id=nodes[link["to_node_id"]],
                        added_by=person(link["added_by"]))
        for item in m["plan_items"]:
            item.update(id=items[item["id"]], node_id=nodes.get(item["node_id"]) if item["node_id"] else None,
                        added_by=person(item["added_by"]))
        for draft in m["email_drafts"]:
            draft["updated_by"] = person(draft["updated_by"])
    return blank_times(snap)


@pytest.mark.parametrize("include_hidden", [True, False], ids=["with-hidden", "visible-only"])
def test_export_import_export_gives_the_same_archive(database, include_hidden):
    board = build_board(database)
    first = exports.board_snapshot(database, board.code, include_hidden=include_hidden)
    imported = imports.import_archive(database, json_archive.render(first))
    assert imported.board["code"] != board.code
    second = exports.board_snapshot(database, imported.board["code"], include_hidden=include_hidden)
    assert normalised(second) == normalised(first)
    # Ids and times did change: a new board, new rows.
    assert {p["id"] for p in second["participants"]}.isdisjoint({p["id"] for p in first["participants"]})
    assert second["phases"][0]["started_at"] is None and first["phases"][0]["started_at"] is not None


def test_the_importer_gets_new_secrets_and_each_person_a_new_rejoin_code(database):
    board = build_board(database)
    imported = imports.import_archive(database, json_archive.render(exports.board_snapshot(database, board.code, include_hidden=True)))
    code = imported.board["code"]
    facilitator, _ = identity.authenticate(database, code, imported.facilitator_secret)
    assert facilitator.is_facilitator
    assert identity.authenticate(database, code, imported.projector_secret)[0].role.value == "projector"
    with pytest.raises(DomainError):
        identity.authenticate(database, code, board.facilitator_secret)  # the old secret opens nothing here
    codes = {p["name"]: p["rejoin_code"] for p in imported.participants}
    assert codes["Dmitri"] is None and codes["Eve"] is None  # no device; removed
    rejoined = identity.rejoin(database, code, codes["Ana"])
    assert rejoined.participant["name"] == "Ana"
    booklet, whose = exports.booklet_snapshot(database, identity.authenticate(database, code, rejoined.token)[0])
    assert [p["title"] for p in booklet["projects"] if p["author_id"] == whose] == ["La Ferme du Bonheur"]


def _counts(database) -> tuple[int, int, int]:
    with database.read() as session:
        return tuple(session.execute(select(func.count()).select_from(model)).scalar_one() for model in (Board, Participant, Project))


HOSTILE = {
    "dangling reference deep inside": lambda s: s["tribe_maps"][0]["plan_items"][-1].update(node_id=10**9),
    "script in a link": lambda s: s["projects"][0].update(link="javascript:alert(document.cookie)"),
    "four projects for one person": lambda s: s["projects"].extend(
        dict(s["projects"][0], id=9000 + i, hidden=False) for i in range(3)),
    "unknown key": lambda s: s["participants"][0].update(is_admin=True),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_a_hostile_archive_is_refused_and_nothing_is_written(database, case):
    board = build_board(database)
    snapshot = exports.board_snapshot(database, board.code, include_hidden=True)
    HOSTILE[case](snapshot)
    before = _counts(database)
    with pytest.raises(DomainError) as refused:
        imports.import_archive(database, json.dumps(snapshot))
    assert refused.value.code == "invalid_archive"
    assert refused.value.params["path"]
    assert _counts(database) == before
