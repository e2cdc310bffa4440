"""A board with a facilitator, participants with one story each, and the projector, for the vote socket tests."""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.clients import BoardClient
from tests.support.server import create_board, join_board


@dataclass
class VoteRoom:
    """Who is on the board and which story is whose."""

    url: str
    code: str
    facilitator_token: str
    projector_token: str
    tokens: dict[str, str] = field(default_factory=dict)      # name -> device token
    ids: dict[str, int] = field(default_factory=dict)         # name -> participant id
    stories: dict[str, int] = field(default_factory=dict)     # author name -> project id
    clients: list[BoardClient] = field(default_factory=list)

    def client(self, who: str) -> BoardClient:
        """A connected, synced client of `who` ("facilitator", "projector" or a participant's name)."""
        token = {"facilitator": self.facilitator_token, "projector": self.projector_token}.get(who) or self.tokens[who]
        client = BoardClient(self.url, self.code, token)
        client.connect()
        self.clients.append(client)
        return client

    def close(self) -> None:
        """Disconnect every client this room opened."""
        for client in self.clients:
            client.disconnect()


def make_room(url: str, names: tuple[str, ...]) -> VoteRoom:
    """Create a board; each named participant joins and posts one story."""
    created = create_board(url)
    room = VoteRoom(url, created["board"]["code"], created["facilitator_token"],
                    created["links"]["projector"].split("#", 1)[1])
    for name in names:
        joined = join_board(url, room.code, name)
        room.tokens[name], room.ids[name] = joined["token"], joined["participant"]["id"]
        author = room.client(name)
        ack = author.command("project_post", project={"title": f"Story of {name}", "pitch": "A pitch"})
        assert ack["ok"], ack
        room.stories[name] = next(f["data"]["project"]["id"] for f in _frames_until(author, ack["seq"])
                                  if f["seq"] == ack["seq"])
        author.disconnect()
    return room


def _frames_until(client: BoardClient, seq: int) -> list[dict]:
    client.wait_for_seq(seq)
    return list(client.frames)


def facilitate(client: BoardClient, *steps: tuple[str, dict]) -> list[dict]:
    """Send facilitator commands in order; each must be accepted."""
    acks = []
    for name, payload in steps:
        ack = client.command(name, **payload)
        assert ack["ok"], (name, ack)
        acks.append(ack)
    return acks
