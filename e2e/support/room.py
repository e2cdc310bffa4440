"""The facilitator and participants as socket clients: what the room does while a browser watches."""
from __future__ import annotations

from tests.support.clients import BoardClient
from tests.support.server import join_board


class Room:
    """The facilitator and participants as socket clients (reconnectable after a server restart)."""

    def __init__(self, url: str, created: dict) -> None:
        self.url = url
        self.code = created["board"]["code"]
        self.tokens = {"host": created["facilitator_token"]}
        self.clients: dict[str, BoardClient] = {}
        self.phase_id = None

    def client(self, who: str) -> BoardClient:
        """This person's connected client (connected again if the server restarted)."""
        if who not in self.clients or not self.clients[who].sio.connected:
            client = BoardClient(self.url, self.code, self.tokens[who])
            client.connect()
            self.clients[who] = client
        return self.clients[who]

    def join(self, name: str) -> BoardClient:
        """Join the board as `name` (over the API) and connect."""
        joined = join_board(self.url, self.code, name)
        self.tokens[name] = joined["token"]
        return self.client(name)

    def ok(self, who: str, command: str, **payload) -> dict:
        """Send a command as `who`; it must be accepted."""
        ack = self.client(who).command(command, **payload)
        assert ack["ok"] is True, (command, ack)
        return ack

    def frame_of(self, who: str, ack: dict) -> dict:
        """The event an accepted command made, once it reached the sender's client."""
        client = self.client(who)
        client.wait_for_seq(ack["seq"])
        return next(f for f in client.frames if f["seq"] == ack["seq"])

    def post(self, who: str, title: str, pitch: str | None = None, **fields) -> int:
        """`who` posts a card (pitch "The pitch of …" unless given); returns its id once the event is back."""
        project = {"title": title, "pitch": f"The pitch of {title}" if pitch is None else pitch, **fields}
        ack = self.ok(who, "project_post", project=project)
        return self.frame_of(who, ack)["data"]["project"]["id"]

    def advance(self) -> None:
        """Next phase, as the console's button does it."""
        ack = self.ok("host", "show_advance", from_phase_id=self.phase_id)
        self.phase_id = self.frame_of("host", ack)["data"]["show"]["current_phase_id"]

    def close(self) -> None:
        """Disconnect everyone."""
        for client in self.clients.values():
            client.disconnect()
