"""The listening socket (one process per port, refused when the port is taken) and this machine's LAN addresses."""
from __future__ import annotations

import errno
import ipaddress
import socket
import struct
import sys

# ioctl SIOCGIFADDR: an interface's IPv4 address (Linux; macOS/BSD use their own number).
_SIOCGIFADDR = 0xC0206921 if sys.platform == "darwin" else 0x8915


class PortTaken(SystemExit):
    """Another process listens on the port: say so and stop (exit status 2)."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"snowball: {host}:{port} is already in use (another Snowball, or another server, listens there); "
                         f"stop it or choose another port with SNOWBALL_PORT")


def listen(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A listening TCP socket with SO_REUSEADDR but never SO_REUSEPORT, so a taken port fails here, loudly.

    (eventlet's own `listen` sets SO_REUSEPORT: a second server on the same port then starts
    without error and the kernel splits the connections between the two.)
    """
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart may rebind past TIME_WAIT
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise PortTaken(host, port) from None
        raise
    sock.listen(backlog)
    return sock


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (and link-local), for the join links people type."""
    found: list[str] = []
    try:
        names = [name for _index, name in socket.if_nameindex()]
    except OSError:
        names = []
    for name in names:
        try:
            import fcntl

            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                packed = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, struct.pack("256s", name.encode()[:15]))
            found.append(socket.inet_ntoa(packed[20:24]))
        except (OSError, ImportError):
            continue  # no IPv4 address on this interface
    if not found:
        try:
            found = [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
        except OSError:
            found = []
    usable = []
    for address in found:
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_link_local) and address not in usable:
            usable.append(address)
    return usable


def start_banner(host: str, port: int, public_url: str | None, database: str) -> list[str]:
    """What the server prints at start: where it listens and, without SNOWBALL_PUBLIC_URL, the room's candidate links."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    lines = [f"Snowball on http://{shown}:{port}/ ({database})"]
    if public_url:
        lines.append(f"Links and QR codes point to {public_url}")
        return lines
    lan = [f"http://{address}:{port}/" for address in lan_addresses()]
    if host in ("0.0.0.0", "::", ""):
        if lan:
            lines.append("The room can reach this laptop at: " + "  ".join(lan))
            lines.append("Set SNOWBALL_PUBLIC_URL to the one the room's Wi-Fi uses, so the QR code points there.")
    elif lan:
        lines.append(f"Only this computer can open it. For a room: SNOWBALL_HOST=0.0.0.0 SNOWBALL_PUBLIC_URL={lan[0].rstrip('/')}")
    return lines
