"""Markdown exports: the board summary and a personal booklet (CommonMark, user text escaped)."""
from __future__ import annotations

import re

from ..domain.momentum import TARGET_PCT
from . import view as views
from .i18n import Words, isolate

# Characters with a meaning anywhere in a CommonMark/GFM line: a backslash makes each one literal.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
# What only means something at the start of a line: headings, lists, quotes, breaks, setext underlines.
_LINE_START = re.compile(r"^([#+\-=])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_LEADING_SPACE = re.compile(r"^[ \t]+")


def _escape_line(line: str) -> str:
    escaped = _INLINE_SPECIAL.sub(r"\\\1", line)
    indent = _LEADING_SPACE.match(escaped)
    if indent:
        # Four spaces would start a code block: character references keep the spaces as text.
        spaces = "".join("&#9;" if ch == "\t" else "&#32;" for ch in indent.group(0))
        escaped = spaces + escaped[indent.end():]
    escaped = _LINE_START.sub(r"\\\1", escaped)
    return _ORDERED.sub(r"\1\\\2", escaped)


def inline(text: str | None) -> str:
    """User text on one line (a heading, a list item, a table cell): every Markdown meaning removed."""
    return _escape_line(" ".join((text or "").split()))


def inline_isolated(text: str | None) -> str:
    """inline() between U+2068 and U+2069, where the export's own words follow it on its line (the <bdi> of text)."""
    return isolate(inline(text))


def block(text: str | None) -> str:
    """User text of several lines: paragraphs kept, line breaks kept (hard breaks), nothing interpreted."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").strip()) if p.strip()]
    out = []
    for paragraph in paragraphs:
        lines = [_escape_line(line.rstrip()) for line in paragraph.split("\n")]
        out.append("\\\n".join(lines))
    return "\n\n".join(out)


def indented(text: str, prefix: str) -> str:
    """Markdown made by block(), indented to continue a list item."""
    return "\n".join(prefix + line if line else "" for line in text.split("\n"))


def fenced(text: str, info: str = "text") -> str:
    """Text kept verbatim (an e-mail to copy): a fence longer than any run of fence characters inside."""
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    fence = "~" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}{info}\n{body}{fence}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _meta_line(snapshot: dict, w: Words, title_key: str | None, first: str = "") -> str:
    board = snapshot["board"]
    parts = [w.t(title_key) if title_key else first]
    if board.get("starts_at"):
        parts.append(w.day_time(board["starts_at"]))
    parts.append(f"{w.t('board.code')} {board['code']}")
    parts.append(f"{w.t('board.exported')} {w.utc_day_time(snapshot['exported_at'])}")
    return " · ".join(parts)


def _run_of_show(snapshot: dict, w: Words) -> str:
    phases = snapshot["phases"]
    if not phases:
        return w.t("run.none")
    rows = []
    for phase in phases:
        lasted = views.phase_lasted_s(phase)
        ended = w.utc_time(phase["ended_at"]) or (w.t("run.running") if phase["started_at"] else "")
        rows.append([
            inline(phase["title"]), w.minutes(phase["duration_s"]),
            w.utc_time(phase["started_at"]) or w.t("run.not_run"), ended,
            w.minutes(lasted) if lasted is not None else "",
        ])
    return _table([w.t("run.phase"), w.t("run.planned"), w.t("run.started"), w.t("run.ended"), w.t("run.lasted")], rows)


def _participation(snapshot: dict, w: Words) -> str:
    return "\n".join(f"- {w.label(key, **params)} {w.number(value)}" for key, params, value in views.participation(snapshot))


def _rankings(snapshot: dict, w: Words) -> str:
    rounds = snapshot["vote_rounds"]
    if not rounds:
        return w.t("ranking.none")
    parts = []
    for vote_round in rounds:
        parts.append(f"### {w.t('ranking.round', round=vote_round['number'])}")
        parts.append(w.t("ranking.rules", budget=vote_round["budget"], cap=vote_round["cap"]))
        if vote_round["state"] != "revealed" or vote_round["ranking"] is None:
            parts.append(w.t("ranking.not_revealed", round=vote_round["number"], state=w.t(f"state.{vote_round['state']}")))
            continue
        rows = [[str(e["rank"]), inline(e["title"]), str(e["dots"])] for e in vote_round["ranking"]]
        parts.append(_table([w.t("ranking.rank"), w.t("ranking.project"), w.t("ranking.dots")], rows))
    return "\n\n".join(parts)


def _facts(project: dict, w: Words) -> list[str]:
    facts = []
    if project.get("category"):
        facts.append(f"- **{w.label('project.category')}** {inline(project['category'])}")
    if project.get("goal_amount") is not None:
        facts.append(f"- **{w.label('project.goal')}** {w.amount(project['goal_amount'], project['currency'])}")
    if project.get("platform"):
        facts.append(f"- **{w.label('project.platform')}** {inline(project['platform'])}")
    if project.get("campaign_start") or project.get("campaign_end"):
        dates = w.t("project.campaign_dates", start=w.day(project.get("campaign_start")) or "…",
                    end=w.day(project.get("campaign_end")) or "…")
        facts.append(f"- **{w.label('project.campaign')}** {dates}")
    if project.get("link"):
        # Shown as text, not as a link: a reader copies it knowingly.
        facts.append(f"- **{w.label('project.link')}** {inline(project['link'])}")
    return facts


def _votes(view: views.ProjectView, w: Words) -> str:
    if view.hidden:  # out of the room's ranking, as its author sees it on screen
        return w.t("votes.hidden")
    if not view.votes:
        return w.t("votes.none")
    return "\n".join(f"- {w.t('votes.line', round=v.round, dots=w.dots(v.dots), rank=v.rank, count=v.count)}" for v in view.votes)


def _map(view: views.ProjectView, w: Words, level: str) -> str:
    nodes = view.tribe_map["nodes"]
    if not nodes:
        return w.t("map.empty")
    parts = []
    for ring in ("inner", "network", "crowd"):
        in_ring = [n for n in nodes if n["ring"] == ring]
        if not in_ring:
            continue
        parts.append(f"{level}# {w.ring(ring)}")
        parts.append("\n".join(
            f"- {inline_isolated(n['label'])} ({w.kind(n['kind'])}, {w.t('map.reach', reach=w.number(n['reach']))})" for n in in_ring))
    links = view.tribe_map["links"]
    if links:
        parts.append(f"{level}# {w.t('map.links')}")
        parts.append("\n".join(
            "- " + w.t("map.link", **{"from": inline_isolated(view.node_labels.get(link["from_node_id"], "?")),
                                     "to": inline_isolated(view.node_labels.get(link["to_node_id"], "?"))})
            for link in links))
    return "\n\n".join(parts)


def _plan(view: views.ProjectView, w: Words, level: str) -> str:
    if not view.plan:
        return w.t("plan.empty")
    parts = []
    for phase, entries in view.plan:
        parts.append(f"{level}# {w.phase(phase)}")
        lines = []
        for entry in entries:
            whom = entry.node_label if entry.node_label is not None else w.ring(entry.ring)
            line = f"- **{inline_isolated(entry.item['what'])}** — {w.label('plan.whom')} {inline_isolated(whom)}"
            if entry.item["where"]:
                line += f" · {w.label('plan.where')} {inline_isolated(entry.item['where'])}"
            lines.append(line)
            if entry.item["how"]:
                lines.append(indented(f"{w.label('plan.how')} " + block(entry.item["how"]), "  "))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _momentum(view: views.ProjectView, w: Words) -> str:
    m, settings, currency = view.momentum, view.tribe_map["settings"], view.project["currency"]
    lines = [w.t("momentum.line", reach=w.number(m.inner_reach), conversion=w.percent(settings["conversion_pct"]),
                 pledge=w.amount(settings["average_pledge"], currency),
                 backers=w.number(m.expected_backers), amount=w.amount(m.expected_amount, currency))]
    if m.target_amount is None:
        lines.append(w.t("momentum.no_goal"))
    else:
        lines.append(w.t("momentum.target", pct=w.percent(TARGET_PCT), target=w.amount(m.target_amount, currency),
                         progress=w.percent(m.progress_pct)))
    lines.append(f"*{w.t('momentum.guidance')}*")
    return "\n\n".join(lines)


def _project_head(view: views.ProjectView, w: Words, level: str) -> list[str]:
    project = view.project
    latest = view.latest_vote
    prefix = f"\\#{latest.rank} · " if latest else ""
    # Isolated when the "hidden" mark follows the name on its line.
    name = (inline_isolated if view.hidden else inline)(view.author_name)
    byline = w.t("project.by", name=name if view.author_name else w.t("project.unknown_author"))
    if view.hidden:
        byline += f" — **{w.t('project.hidden')}**"
    parts = [f"{level} {prefix}{inline(project['title'])}", f"*{byline}*",
             f"**{w.label('project.pitch')}** {inline(project['pitch'])}",
             f"{level}# {w.t('project.story')}", block(project.get("story")) or w.t("project.no_story")]
    facts = _facts(project, w)
    if facts:
        parts.append("\n".join(facts))
    return parts


def _project_body(view: views.ProjectView, w: Words, level: str) -> list[str]:
    return [
        f"{level}# {w.t('project.votes')}", _votes(view, w),
        f"{level}# {w.t('section.map')}", _map(view, w, level + "#"),
        f"{level}# {w.t('section.plan')}", _plan(view, w, level + "#"),
        f"{level}# {w.t('section.momentum')}", _momentum(view, w),
    ]


def render_summary(snapshot: dict) -> str:
    """The facilitator's board summary as one Markdown document."""
    w = Words(snapshot["board"]["language"])
    parts = [f"# {inline(snapshot['board']['title'])}", _meta_line(snapshot, w, "summary.title")]
    if snapshot.get("include_hidden"):
        parts.append(f"> {w.t('hidden.included')}")
    parts += [f"## {w.t('section.run')}", _run_of_show(snapshot, w),
              f"## {w.t('section.participation')}", _participation(snapshot, w),
              f"## {w.t('section.ranking')}", _rankings(snapshot, w),
              f"## {w.t('section.projects')}"]
    ranked = views.ranked_projects(snapshot)
    if not ranked:
        parts.append(w.t("projects.none"))
    for view in ranked:
        parts += _project_head(view, w, "###")
        parts += _project_body(view, w, "###")
        parts += [f"#### {w.t('section.contributors')}",
                  ", ".join(inline(name) for name in view.contributors) or w.t("contributors.none")]
    parts.append(f"---\n\n*{w.t('footer')}*")
    return "\n\n".join(parts) + "\n"


def _drafts(view: views.ProjectView, w: Words, level: str) -> list[str]:
    parts = []
    for draft in view.drafts:
        status = w.t("email.saved") if draft.saved else w.t("email.suggested")
        parts.append(f"{level}# {w.ring(draft.ring)} ({status})")
        parts.append(f"**{w.label('email.subject')}** {inline(draft.subject)}")
        parts.append(fenced(draft.body))
    return parts


def render_booklet(snapshot: dict, participant_id: int) -> str:
    """One participant's booklet: their projects with votes, map, plan, momentum, e-mails and a checklist."""
    w = Words(snapshot["board"]["language"])
    person = views.participant(snapshot, participant_id)
    name = person["name"] if person else "?"
    parts = [f"# {w.t('booklet.title', name=inline(name))}",
             _meta_line(snapshot, w, None, inline_isolated(snapshot["board"]["title"])),
             w.t("booklet.lead", board=inline_isolated(snapshot["board"]["title"]))]
    projects = views.booklet_projects(snapshot, participant_id)
    if not projects:
        parts.append(w.t("booklet.no_project"))
    for view in projects:
        parts += _project_head(view, w, "##")
        parts += _project_body(view, w, "##")
        parts += [f"### {w.t('section.contributors')}",
                  ", ".join(inline(n) for n in view.contributors) or w.t("contributors.none")]
        parts.append(f"### {w.t('section.emails')}")
        parts += _drafts(view, w, "###")
    parts.append(f"## {w.t('section.checklist')}")
    parts.append("\n".join(f"- [ ] {w.t(key)}" for key in ("check.share", "check.thank", "check.involve")))
    parts.append(f"---\n\n*{w.t('footer')}*")
    return "\n\n".join(parts) + "\n"
