"""The `snowball` command line: export a board, list boards, import an archive — straight from the database.

Uses DATABASE_URL (or the default SQLite file) like the server, and works while the server is down.

    snowball boards
    snowball export QXDWTQ --format pdf --out summary.pdf
    snowball export QXDWTQ --format md --booklet 12 --out -
    snowball export QXDWTQ --format csv --out tables.zip      (or an existing folder: three .csv files)
    snowball import archive.json
    snowball backup snowball-2026-05-06.sqlite3             (SQLite: a consistent copy while the server runs)
    snowball serve                                           (start the server: server/serve.py)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, select

from .config import Settings
from .domain import boards as board_rules
from .domain.errors import DomainError
from .export import csv_files, formats
from .persistence.db import Database
from .persistence.models import Board, Participant, Project
from .persistence.show_models import HiddenItem, RemovedParticipant


@contextmanager
def _database() -> Iterator[Database]:
    """The database of DATABASE_URL, migrated, its connections closed after the command."""
    db = Database(Settings().database_url)
    try:
        db.migrate()
        yield db
    finally:
        db.dispose()


def _write(out: str, content: bytes) -> None:
    if out == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    Path(out).write_bytes(content)


def public_base(settings: Settings | None = None) -> str:
    """Where people open the links: SNOWBALL_PUBLIC_URL, else the server's own host and port."""
    settings = settings or Settings()
    if settings.public_url:
        return settings.public_url.rstrip("/")
    # A server listening on every interface is reached, from this machine, on the loopback address.
    host = "127.0.0.1" if settings.host in ("", "0.0.0.0", "::") else settings.host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings.port}"


def cmd_boards(args: argparse.Namespace) -> int:
    """Print every board: code, date, language, people, projects, title."""
    with _database() as db, db.read() as session:
        # Counted as the summary counts them: removed people and hidden cards are not on the board any more.
        removed = select(RemovedParticipant.participant_id)
        hidden = select(HiddenItem.item_id).where(HiddenItem.kind == "project", HiddenItem.board_id == Project.board_id)
        people = dict(session.execute(select(Participant.board_id, func.count()).where(Participant.id.not_in(removed))
                                      .group_by(Participant.board_id)).all())
        projects = dict(session.execute(select(Project.board_id, func.count()).where(Project.id.not_in(hidden))
                                        .group_by(Project.board_id)).all())
        rows = session.execute(select(Board).order_by(Board.created_at, Board.id)).scalars().all()
        if args.json:
            print(json.dumps([{"code": b.code, "title": b.title, "language": b.language, "starts_at": b.starts_at,
                               "participants": people.get(b.id, 0), "projects": projects.get(b.id, 0)} for b in rows],
                             ensure_ascii=False, indent=2))
            return 0
        print(f"{'code':8} {'starts':16} {'lang':4} {'people':>6} {'projects':>8}  title")
        for b in rows:
            print(f"{b.code:8} {(b.starts_at or '-'):16} {b.language:4} {people.get(b.id, 0):>6} {projects.get(b.id, 0):>8}  {b.title}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export one board (or one participant's booklet) in one format."""
    from .services.archive import exports

    with _database() as db:
        snapshot = exports.board_snapshot(db, args.board_code, include_hidden=args.include_hidden, viewer_id=args.booklet,
                                          booklet=args.booklet is not None)
    if args.booklet is not None:
        if not any(p["id"] == args.booklet for p in snapshot["participants"]):
            raise DomainError("participant_not_found", "this person is not on this board", participant_id=args.booklet)
        content, _spec, name = formats.render_booklet(snapshot, args.booklet, args.format)
    elif args.format == "csv" and args.out != "-" and Path(args.out).is_dir():
        for table in csv_files.TABLES:
            table_content, _spec, table_name = formats.render_csv_table(snapshot, table)
            (Path(args.out) / table_name).write_bytes(table_content)
            print(Path(args.out) / table_name, file=sys.stderr)
        return 0
    else:
        content, _spec, name = formats.render_summary(snapshot, args.format)
    out = args.out or name
    _write(out, content)
    if out != "-":
        print(out, file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Create a new board from a JSON archive and print its links' secrets and the rejoin codes."""
    from .services.archive import imports

    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    try:
        with _database() as db:
            imported = imports.import_archive(db, raw)
    except DomainError as error:
        if not args.json:
            raise
        print(json.dumps({"ok": False, "error": error.as_dict()}, ensure_ascii=False))
        return 2
    if args.json:
        print(json.dumps({"ok": True, "board": imported.board, "facilitator_token": imported.facilitator_secret,
                          "projector_token": imported.projector_secret, "participants": imported.participants},
                         ensure_ascii=False))
        return 0
    code = imported.board["code"]
    base = public_base()
    print(f"board {code}: {imported.board['title']}")
    links = board_rules.links(base, code, imported.facilitator_secret, imported.projector_secret)
    print(f"participants' link: {links['join']}")
    print(f"facilitator link:   {links['facilitator']}")
    print(f"projector link:     {links['projector']}")
    for person in imported.participants:
        if person["rejoin_code"]:
            print(f"  {person['rejoin_code']}  {person['name']}")
    return 0


def cmd_serve(_args: argparse.Namespace) -> int:
    """Start the server in this process (replaced by `python -m server.serve`, which monkey-patches first)."""
    os.execv(sys.executable, [sys.executable, "-m", "server.serve"])
    return 0  # pragma: no cover - execv does not return


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the SQLite database with SQLite's online backup API: consistent even while the server writes."""
    from .persistence import backup

    url = Settings().database_url
    target = Path(args.target)
    pages = backup.sqlite_backup(url, target)
    print(f"{target} ({pages} pages)", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    top = argparse.ArgumentParser(prog="snowball", description="Snowball: run the server, or work on boards straight from the database (DATABASE_URL).")
    commands = top.add_subparsers(dest="command", required=True)
    boards = commands.add_parser("boards", help="list the boards")
    boards.add_argument("--json", action="store_true", help="print JSON")
    boards.set_defaults(run=cmd_boards)
    export = commands.add_parser("export", help="export a board's summary, tables, archive or a booklet")
    export.add_argument("board_code")
    export.add_argument("--format", required=True, choices=formats.SUMMARY_FORMATS)
    export.add_argument("--booklet", type=int, metavar="PARTICIPANT_ID", help="one participant's booklet (md, html, pdf)")
    export.add_argument("--include-hidden", action="store_true", help="include hidden cards and removed people")
    export.add_argument("--out", help="file to write, '-' for standard output; for csv a .zip or an existing folder")
    export.set_defaults(run=cmd_export)
    imp = commands.add_parser("import", help="create a new board from a JSON archive")
    imp.add_argument("file", help="the archive, '-' for standard input")
    imp.add_argument("--json", action="store_true", help="answer in JSON (what the server's import route reads)")
    imp.set_defaults(run=cmd_import)
    serve = commands.add_parser("serve", help="start the server (settings from the environment: README, Configuration)")
    serve.set_defaults(run=cmd_serve)
    back = commands.add_parser("backup", help="copy the SQLite database safely, even while the server runs")
    back.add_argument("target", help="the new file (must not exist yet)")
    back.set_defaults(run=cmd_backup)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `snowball` script."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except DomainError as error:
        print(f"snowball: {error.code}: {error.message}", file=sys.stderr)
        for detail in error.params.get("errors", [])[1:]:
            print(f"  {detail['path']}: {detail['message']}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"snowball: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
