"""A fixed workshop board built through the services, for the export tests and the golden files.

`build_board(db)` runs a whole session: phases, posts, a hostile story, a vote with a tie, an
attendee without a device, two tribe maps with plans and a saved e-mail, a hidden card and a
removed participant. `freeze(db, board)` then sets the code and every stored time to fixed values, so the
exports are byte-for-byte reproducible on SQLite and PostgreSQL.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server.domain.actors import Actor, Role
from server.persistence.db import Database
from server.persistence.map_models import EmailDraft, MapNode, PlanItem, TribeMap
from server.persistence.models import Board, Event, Participant, Project
from server.persistence.show_models import HiddenItem, RemovedParticipant, ShowPhase
from server.persistence.vote_models import NoDeviceAttendee, VoteRound
from server.services import boards, identity, projects
from server.services.show import moderation, run_of_show
from server.services.maps import use_cases as tribe_maps
from server.services.votes import use_cases as votes

# What a person might type, all in one story: HTML, an SVG breakout, Markdown, a spreadsheet formula,
# emoji and right-to-left text. Every export must show it as text, intact.
HOSTILE = (
    "<script>alert('x')</script></svg><img src=x onerror=alert(1)>\n"
    "# Not a heading *not bold* [not a link](javascript:alert(1)) | pipe | `code`\n"
    "=HYPERLINK(\"http://evil.example\",\"click\")\n"
    "Fête 🎉❄️ — שלום עולם — مرحبا بالعالم"
)
FORMULA_TITLE = "=1+2 Le Cosmonaute"
EXPORTED_AT = datetime(2026, 6, 3, 18, 30)
GOLDEN_CODE = "QXDWTQ"
T0 = datetime(2026, 6, 3, 15, 0)  # 17:00 in Paris, stored as UTC

STORY_ANA = (
    "Une ferme maraîchère en bio, ouverte aux habitants du quartier.\n\n"
    "Nous voulons acheter une serre et former deux jeunes au métier.\n"
    "Chaque contribution compte."
)


def op() -> str:
    """A fresh op_id."""
    return uuid.uuid4().hex


@dataclass
class FixedBoard:
    """Handles to the built board: its code, secrets, actors and ids."""

    id: int
    code: str
    facilitator_secret: str
    projector_secret: str
    facilitator: Actor
    tokens: dict[str, str] = field(default_factory=dict)
    people: dict[str, Actor] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)
    nodes: dict[str, int] = field(default_factory=dict)

    def pid(self, name: str) -> int:
        """A participant's id by name."""
        return self.people[name].participant_id


def _advance(db: Database, board: FixedBoard) -> None:
    with db.read() as session:
        current = run_of_show.show_view(session, session.get(Board, board.id))["current_phase_id"]
    run_of_show.advance(db, board.facilitator, op(), current)


def build_board(db: Database, language: str = "fr") -> FixedBoard:
    """Run a small, complete session on `db` and return handles to it."""
    title = "Atelier crowdfunding — Festival" if language == "fr" else "Crowdfunding workshop — Festival"
    created = boards.create_board(db, title, language, "2026-06-03T17:00")
    code = created.board["code"]
    facilitator, _ = identity.authenticate(db, code, created.facilitator_secret)
    board = FixedBoard(facilitator.board_id, code, created.facilitator_secret, created.projector_secret, facilitator)
    for name in ("Ana", "Ben", "Chloé", "Eve"):
        joined = identity.join(db, code, name, op())
        board.people[name] = Actor(board.id, Role.PARTICIPANT, joined.participant["id"])
        board.tokens[name] = joined.token
    attendee = votes.add_attendee(db, facilitator, op(), "Dmitri").event["data"]["participant"]["id"]
    board.people["Dmitri"] = Actor(board.id, Role.PARTICIPANT, attendee)

    _advance(db, board)  # join
    _advance(db, board)  # values
    _advance(db, board)  # post
    post = lambda who, fields: projects.post_project(db, board.people[who], op(), fields).event["data"]["project"]["id"]  # noqa: E731
    board.projects["ana"] = post("Ana", {
        "title": "La Ferme du Bonheur", "pitch": "Des légumes bio pour tout le quartier", "story": STORY_ANA,
        "category": "Agriculture", "goal_amount": 12000, "currency": "EUR", "platform": "Miimosa",
        "campaign_start": "2026-09-01", "campaign_end": "2026-10-15", "link": "https://example.org/ferme"})
    board.projects["ben"] = post("Ben", {"title": FORMULA_TITLE, "pitch": "-1 film fait avec sa communauté",
                                         "story": HOSTILE, "goal_amount": 5000, "currency": "EUR"})
    board.projects["chloe"] = post("Chloé", {"title": "Radio Quartier", "pitch": "Une radio associative",
                                             "story": "@everyone écoutez-nous"})
    board.projects["eve"] = post("Eve", {"title": "Spam partout", "pitch": "Achetez maintenant"})

    _advance(db, board)  # vote
    votes.open_vote(db, facilitator, op())
    cast = lambda who, project: votes.cast(db, board.people[who], op(), board.projects[project])  # noqa: E731
    cast("Ben", "ana")
    cast("Chloé", "ana")
    cast("Eve", "ana")
    cast("Ana", "ben")
    cast("Chloé", "ben")
    cast("Ana", "chloe")
    votes.cast(db, facilitator, op(), board.projects["chloe"], voter_id=attendee)
    votes.close_vote(db, facilitator, op())
    votes.reveal(db, facilitator, op())

    _advance(db, board)  # maps
    ana, ben, chloe = board.people["Ana"], board.people["Ben"], board.people["Chloé"]
    farm = board.projects["ana"]
    add = lambda who, project, fields: tribe_maps.add_node(db, who, op(), project, fields).event["data"]["node"]["id"]  # noqa: E731
    board.nodes["maman"] = add(ana, farm, {"label": "Maman et Papa", "kind": "person", "ring": "inner", "reach": 2})
    board.nodes["collegues"] = add(ana, farm, {"label": "Collègues du lycée", "kind": "community", "ring": "inner", "reach": 40})
    board.nodes["amap"] = add(ben, farm, {"label": "AMAP du quartier", "kind": "organisation", "ring": "network", "reach": 300})
    board.nodes["radio"] = add(chloe, farm, {"label": "France Bleu", "kind": "media", "ring": "crowd", "reach": 50000})
    tribe_maps.add_link(db, ana, op(), farm, board.nodes["collegues"], board.nodes["amap"])
    tribe_maps.add_link(db, ben, op(), farm, board.nodes["amap"], board.nodes["radio"])
    plan = lambda who, project, fields: tribe_maps.add_plan_item(db, who, op(), project, fields)  # noqa: E731
    plan(ana, farm, {"what": "Annonce personnelle", "node_id": board.nodes["maman"], "when": "before_launch",
                     "where": "Repas du dimanche", "how": "Raconter le projet\net demander d'être les premiers"})
    plan(ana, farm, {"what": "Mail du premier cercle", "ring": "inner", "when": "launch_day", "where": "E-mail",
                     "how": "Mail personnel, pas de liste"})
    plan(chloe, farm, {"what": "Interview", "node_id": board.nodes["radio"], "when": "mid_campaign", "where": "Radio"})
    plan(ben, farm, {"what": "Merci public", "ring": "network", "when": "after", "where": "Newsletter de l'AMAP"})
    tribe_maps.edit_settings(db, ana, op(), farm, {"average_pledge": 40})
    tribe_maps.save_email_draft(db, ana, op(), farm, "inner", "Notre ferme a besoin de toi",
                                "Bonjour Maman,\n\nLa campagne ouvre le 1er septembre.\n\nAna")
    cosmo = board.projects["ben"]
    board.nodes["hostile"] = add(ben, cosmo, {"label": "</svg><script>alert(1)</script>", "kind": "person",
                                              "ring": "inner", "reach": 10})
    board.nodes["rtl"] = add(ben, cosmo, {"label": "שלום 🎉 مرحبا", "kind": "community", "ring": "network", "reach": 120})
    tribe_maps.add_link(db, ben, op(), cosmo, board.nodes["hostile"], board.nodes["rtl"])
    plan(ben, cosmo, {"what": "=HYPERLINK(\"http://evil.example\")", "node_id": board.nodes["rtl"],
                      "when": "first_week", "where": "+33 6 00 00 00 00", "how": "@mention\n# pas un titre"})
    spam = board.projects["eve"]
    add(board.people["Eve"], spam, {"label": "Acheteurs", "kind": "person", "ring": "inner", "reach": 5})

    _advance(db, board)  # wrap-up
    moderation.hide_project(db, facilitator, op(), spam)
    moderation.remove_participant(db, facilitator, op(), board.pid("Eve"))
    return board


def _schedule(db: Database, model, column: str, where, start: datetime, step: timedelta) -> None:
    with db.write() as session:
        ids = session.execute(select(model.id).where(where).order_by(model.id)).scalars().all()
        for i, row_id in enumerate(ids):
            session.execute(update(model).where(model.id == row_id).values({column: start + i * step}))


def freeze(db: Database, board: FixedBoard, code: str = GOLDEN_CODE) -> None:
    """Give the board a fixed code and every stored time a fixed value (as if it ran on 3 June 2026)."""
    minute = timedelta(minutes=1)
    with db.write() as session:
        session.execute(update(Board).where(Board.id == board.id).values(created_at=T0 - timedelta(days=2), code=code))
    board.code = code
    with db.write() as session:
        maps = select(TribeMap.id).where(TribeMap.board_id == board.id)
        session.execute(update(TribeMap).where(TribeMap.board_id == board.id).values(created_at=T0 + 45 * minute))
        session.execute(update(EmailDraft).where(EmailDraft.map_id.in_(maps)).values(updated_at=T0 + 70 * minute))
        session.execute(update(MapNode).where(MapNode.map_id.in_(maps)).values(created_at=T0 + 50 * minute,
                                                                                updated_at=T0 + 50 * minute))
        session.execute(update(PlanItem).where(PlanItem.map_id.in_(maps)).values(created_at=T0 + 60 * minute,
                                                                                 updated_at=T0 + 60 * minute))
        session.execute(update(VoteRound).where(VoteRound.board_id == board.id).values(
            created_at=T0 + 30 * minute, opened_at=T0 + 31 * minute, closed_at=T0 + 39 * minute,
            revealed_at=T0 + 40 * minute))
        session.execute(update(NoDeviceAttendee).where(NoDeviceAttendee.board_id == board.id).values(created_at=T0))
        session.execute(update(HiddenItem).where(HiddenItem.board_id == board.id).values(hidden_at=T0 + 80 * minute))
        session.execute(update(RemovedParticipant).where(RemovedParticipant.board_id == board.id)
                        .values(removed_at=T0 + 81 * minute))
        session.execute(update(Event).where(Event.board_id == board.id).values(created_at=T0))
    _schedule(db, Participant, "joined_at", Participant.board_id == board.id, T0, minute)
    _schedule(db, Project, "created_at", Project.board_id == board.id, T0 + 16 * minute, minute)
    _schedule(db, Project, "updated_at", Project.board_id == board.id, T0 + 16 * minute, minute)
    # The real run: each phase started where the previous one ended, some ran over, the last still runs.
    lasted = [6, 9, 16, 12, 35, None]
    with db.write() as session:
        phases = session.execute(select(ShowPhase).where(ShowPhase.board_id == board.id).order_by(ShowPhase.position)).scalars().all()
        moment = T0
        for phase, minutes in zip(phases, lasted):
            phase.started_at = moment
            phase.ended_at = moment + minutes * minute if minutes is not None else None
            moment = phase.ended_at or moment
