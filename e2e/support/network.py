"""One page's connection to the server, in the test's hands: cut and restored, or held back for a moment."""
from __future__ import annotations


class Wifi:
    """Cuts and restores one page's connection to the server (HTTP polling and WebSocket alike)."""

    def __init__(self, page) -> None:
        self.page = page
        self.up = True
        self.sockets = []
        page.route("**/socket.io/**", self._http)
        page.route_web_socket("**/socket.io/**", self._websocket)

    def _http(self, route):
        if self.up:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    def _websocket(self, ws):
        if not self.up:
            ws.close()
            return
        ws.connect_to_server()
        self.sockets.append(ws)

    def cut(self) -> None:
        """Drop the live connection and refuse new ones, like a Wi-Fi that went away."""
        self.up = False
        for ws in self.sockets:
            ws.close()
        self.sockets.clear()

    def restore(self) -> None:
        """The Wi-Fi is back: new connections go through."""
        self.up = True


def open_with_wifi(browser, live_server, path: str, wifi_class=Wifi, clock: bool = False):
    """A person in their own context whose connection the test can cut: (context, page, wifi).

    `clock=True` installs Playwright's fake clock first (time flows, and the test can jump it ahead).
    The page's uncaught errors are kept in `page.errors`.
    """
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    if clock:
        page.clock.install()
    wifi = wifi_class(page)
    page.goto(path)
    return context, page, wifi


class HeldIncoming:
    """Holds what the server sends to one page (its WebSocket), to send a command 'just before' it hears of the close."""

    def __init__(self, page) -> None:
        self.page = page
        self.held: list = []
        self.holding = False
        self.routes = []
        page.route_web_socket("**/socket.io/**", self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: server.send(message))
        server.on_message(lambda message: self._from_server(ws, message))
        self.routes.append(ws)

    def _from_server(self, ws, message) -> None:
        if self.holding:
            self.held.append((ws, message))
        else:
            ws.send(message)

    def wait_until_on_websocket(self) -> None:
        """Socket.IO starts on HTTP long-polling and upgrades; hold only once the WebSocket carries everything."""
        for _ in range(200):
            if self.routes:
                return
            self.page.wait_for_timeout(50)  # lets Playwright deliver the route callback; bounded
        raise AssertionError("the page never upgraded to a WebSocket")

    def hold(self) -> None:
        """From now on, keep what the server sends."""
        self.holding = True

    def release(self) -> None:
        """Deliver what was kept, in order, and stop holding."""
        self.holding = False
        for ws, message in self.held:
            ws.send(message)
        self.held.clear()
