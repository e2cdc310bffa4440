"""Cards that leave the vote (hidden after the reveal, deleted or hidden while it is open), on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import html as html_text
import io

import pytest

from server.export import csv_files, formats
from server.services import projects, snapshot
from server.services.archive import exports
from server.services.show import moderation
from server.services.votes import use_cases as votes
from tests.support.clients import op_id


@pytest.fixture
def room(database, board, join):
    """Ana, Bo, Cy, Di and Eve; Ana, Bo, Cy and Di each post one story."""
    people, stories = {}, {}
    for name in ("Ana", "Bo", "Cy", "Di", "Eve"):
        people[name] = join(name)[0]
        if name != "Eve":
            card = projects.post_project(database, people[name], op_id(), {"title": f"Story of {name}", "pitch": "p"})
            stories[name] = card.event["data"]["project"]["id"]
    return people, stories


def revealed_with_ties(database, board, room) -> None:
    """Ana's story 3 dots, Bo's and Cy's 2 each, Di's 1: ranks 1, 2, 2, 4."""
    people, stories = room
    votes.configure(database, board.facilitator, op_id(), 4, 1)
    votes.open_vote(database, board.facilitator, op_id())
    for voter, targets in {"Bo": ["Ana", "Cy"], "Cy": ["Ana", "Bo"], "Di": ["Ana", "Bo", "Cy"], "Eve": ["Di"]}.items():
        for target in targets:
            votes.cast(database, people[voter], op_id(), stories[target])
    votes.close_vote(database, board.facilitator, op_id())
    votes.reveal(database, board.facilitator, op_id())


def ranks(ranking: list[dict]) -> list[tuple]:
    return [(r["project_id"], r["dots"], r["rank"], r.get("hidden", False)) for r in ranking]


def ranking_of(database, actor) -> list[dict]:
    return snapshot.snapshot(database, actor)["vote"]["rounds"][0]["ranking"]


def test_a_card_hidden_after_the_reveal_leaves_the_ranking_and_the_others_rank_again(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    ana, bo, cy, di = (stories[n] for n in ("Ana", "Bo", "Cy", "Di"))
    assert ranks(ranking_of(database, people["Eve"])) == [(ana, 3, 1, False), (bo, 2, 2, False), (cy, 2, 2, False), (di, 1, 4, False)]

    hidden = moderation.hide_project(database, board.facilitator, op_id(), ana).event["data"]
    room_sees = [(bo, 2, 1, False), (cy, 2, 1, False), (di, 1, 3, False)]
    # Live: the public event carries the ranking without it, for screens to replace theirs.
    assert [(r["round"], ranks(r["ranking"])) for r in hidden["rankings"]] == [(1, room_sees)]
    assert "Story of Ana" not in str(hidden)
    for who in (people["Bo"], people["Eve"], board.projector):
        assert ranks(ranking_of(database, who)) == room_sees
    # Its author and the facilitator still see it, marked, in its place, without a rank.
    for who in (people["Ana"], board.facilitator):
        assert ranks(ranking_of(database, who)) == [(ana, 3, None, True), *room_sees]
    # Exports rank as the room does.
    summary = exports.summary_snapshot(database, board.facilitator)
    assert ranks(summary["vote_rounds"][0]["ranking"]) == room_sees

    shown = moderation.unhide_project(database, board.facilitator, op_id(), ana).event["data"]
    assert ranks(shown["rankings"][0]["ranking"]) == [(ana, 3, 1, False), (bo, 2, 2, False), (cy, 2, 2, False), (di, 1, 4, False)]
    assert ranks(ranking_of(database, people["Eve"])) == ranks(shown["rankings"][0]["ranking"])


def test_the_next_rounds_top_n_counts_the_ranks_the_room_sees(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    moderation.hide_project(database, board.facilitator, op_id(), stories["Ana"])
    started = votes.start_round(database, board.facilitator, op_id(), top=1).event["data"]["round"]
    assert started["candidates"] == [stories["Bo"], stories["Cy"]]


def test_deleting_a_card_with_dots_while_open_gives_them_back_and_says_so(database, board, room):
    people, stories = room
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    votes.cast(database, people["Ana"], op_id(), stories["Cy"])
    votes.cast(database, people["Di"], op_id(), stories["Bo"])
    deleted = projects.delete_project(database, people["Bo"], op_id(), stories["Bo"]).event["data"]
    returned = deleted["returned_dots"]
    assert returned["round"] == 1
    assert returned["voters"] == [{"voter_id": people["Ana"].participant_id, "dots": 1, "dots_used": 1},
                                  {"voter_id": people["Di"].participant_id, "dots": 1, "dots_used": 0}]
    assert returned["summary"] == {"voters": 5, "done": 0, "not_voted": 4}
    # The server and the event agree: Ana has 2 dots left again, Di all 3.
    assert votes.mine(database, people["Ana"])["remaining"] == 2
    assert votes.mine(database, people["Di"])["remaining"] == 3
    progress = snapshot.snapshot(database, people["Eve"])["vote"]["progress"]
    assert progress["used"] == [{"voter_id": people["Ana"].participant_id, "dots_used": 1}]
    # Nothing about the stories still in the vote (Ana's dot on Cy's story): only the leaving card's dots.
    assert set(deleted) == {"project_id", "returned_dots", "rankings"} and set(returned) == {"round", "voters", "summary"}
    assert set(returned["voters"][0]) == {"voter_id", "dots", "dots_used"}


def test_hiding_a_card_while_open_gives_its_dots_back_for_good(database, board, room):
    people, stories = room
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, people["Ana"], op_id(), stories["Di"])
    hidden = moderation.hide_project(database, board.facilitator, op_id(), stories["Di"]).event["data"]
    assert hidden["returned_dots"]["voters"] == [{"voter_id": people["Ana"].participant_id, "dots": 1, "dots_used": 0}]
    assert votes.mine(database, people["Ana"])["remaining"] == 3
    moderation.unhide_project(database, board.facilitator, op_id(), stories["Di"])
    assert votes.mine(database, people["Ana"])["remaining"] == 3  # the voter may place it elsewhere


def test_a_card_without_dots_leaves_nothing_to_return(database, board, room):
    people, stories = room
    votes.open_vote(database, board.facilitator, op_id())
    assert projects.delete_project(database, people["Di"], op_id(), stories["Di"]).event["data"]["returned_dots"] is None


def test_a_card_deleted_after_the_reveal_leaves_every_ranking_and_the_others_rank_again(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    ana, bo, cy, di = (stories[n] for n in ("Ana", "Bo", "Cy", "Di"))
    deleted = projects.delete_project(database, board.facilitator, op_id(), ana).event["data"]
    room_sees = [(bo, 2, 1, False), (cy, 2, 1, False), (di, 1, 3, False)]
    # Live: the public event carries the ranking without it, exactly as a hide after the reveal does.
    assert [(r["round"], ranks(r["ranking"])) for r in deleted["rankings"]] == [(1, room_sees)]
    assert "Story of Ana" not in str(deleted)
    # Gone for everyone, its author and the facilitator too (a deleted card has no place left to mark).
    for who in (people["Ana"], people["Bo"], people["Eve"], board.projector, board.facilitator):
        assert ranks(ranking_of(database, who)) == room_sees
    assert ranks(exports.summary_snapshot(database, board.facilitator)["vote_rounds"][0]["ranking"]) == room_sees
    # The next round's top N counts the same ranks.
    started = votes.start_round(database, board.facilitator, op_id(), top=1).event["data"]["round"]
    assert started["candidates"] == [bo, cy]


def test_a_hidden_card_deleted_after_the_reveal_leaves_its_authors_ranking_too(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    ana, bo, cy, di = (stories[n] for n in ("Ana", "Bo", "Cy", "Di"))
    moderation.hide_project(database, board.facilitator, op_id(), bo)
    deleted = projects.delete_project(database, board.facilitator, op_id(), bo).event["data"]
    room_sees = [(ana, 3, 1, False), (cy, 2, 2, False), (di, 1, 3, False)]
    assert [ranks(r["ranking"]) for r in deleted["rankings"]] == [room_sees]
    for who in (people["Bo"], board.facilitator, people["Eve"]):
        assert ranks(ranking_of(database, who)) == room_sees


def _pdf_text(content: bytes) -> str:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(content)
    return " ".join(page.get_textpage().get_text_range() for page in document)


def test_a_hidden_cards_booklet_marks_it_without_a_rank_as_its_author_sees_it(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    moderation.hide_project(database, board.facilitator, op_id(), stories["Ana"])
    snap, whose = exports.booklet_snapshot(database, people["Ana"])
    # Her card is in her booklet, marked; the ranking is the room's (her card out, the others ranked again).
    assert [p["hidden"] for p in snap["projects"]] == [True]
    assert ranks(snap["vote_rounds"][0]["ranking"]) == [(stories["Bo"], 2, 1, False), (stories["Cy"], 2, 1, False),
                                                        (stories["Di"], 1, 3, False)]
    md = formats.render_booklet(snap, whose, "md")[0].decode()
    html = html_text.unescape(formats.render_booklet(snap, whose, "html")[0].decode())
    pdf_text = " ".join(_pdf_text(formats.render_booklet(snap, whose, "pdf")[0]).split())
    # The fixture's board speaks French.
    for text in (" ".join(t.split()) for t in (md, html, pdf_text)):
        assert "rang 1 sur" not in text and "Tour 1 : 3 gommettes" not in text
        assert "Hors du classement de la salle : l'animateur a masqué cette carte." in text
    # The board summary, its CSV and its archive rank as the room does too, with hidden cards included.
    whole = exports.summary_snapshot(database, board.facilitator, include_hidden=True)
    assert ranks(whole["vote_rounds"][0]["ranking"]) == ranks(snap["vote_rounds"][0]["ranking"])
    summary_md = formats.render_summary(whole, "md")[0].decode()
    assert "Hors du classement de la salle : l'animateur a masqué cette carte." in summary_md
    rows = list(csv.DictReader(io.StringIO(csv_files.render_table(whole, "projects").removeprefix(csv_files.BOM))))
    ana_row = next(r for r in rows if r["titre"] == "Story of Ana")
    assert (ana_row["rang"], ana_row["tour_1_rang"], ana_row["masque"]) == ("", "", "oui")
    assert next(r for r in rows if r["titre"] == "Story of Bo")["rang"] == "1"


def test_removing_someone_tells_every_screen_the_rounds_new_progress(database, board, room):
    people, stories = room
    votes.configure(database, board.facilitator, op_id(), 1, 1)
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, people["Eve"], op_id(), stories["Ana"])
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    removed = moderation.remove_participant(database, board.facilitator, op_id(), people["Eve"].participant_id).event["data"]
    # Eve (done) is no voter any more: 4 voters, Ana done, 3 not voted; the same as everyone's snapshot.
    assert removed["vote_summary"] == {"voters": 4, "done": 1, "not_voted": 3}
    assert snapshot.snapshot(database, people["Bo"])["vote"]["progress"]["summary"] == removed["vote_summary"]
