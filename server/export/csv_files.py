"""CSV exports for spreadsheets: projects and votes, map nodes, plan items (UTF-8 with BOM, formulas inert)."""
from __future__ import annotations

import csv
import io
import zipfile

from . import view as views
from .i18n import Words

BOM = "\ufeff"
# A cell a spreadsheet would read as a formula (or a DDE payload) starts with one of these.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TABLES = ("projects", "map_nodes", "plan_items")

_HEADERS = {
    "en": {
        "projects": ["rank", "project_id", "title", "author", "pitch", "story", "category", "goal_amount", "currency",
                     "platform", "campaign_start", "campaign_end", "link", "hidden", "map_nodes", "inner_reach",
                     "expected_first_days", "momentum_pct", "contributors"],
        "round": ["round_{n}_dots", "round_{n}_rank"],
        "map_nodes": ["project_id", "project", "node_id", "label", "kind", "ring", "reach", "x", "y", "added_by",
                      "can_bring"],
        "plan_items": ["project_id", "project", "item_id", "when", "what", "to_whom", "ring", "where", "how",
                       "added_by"],
    },
    "fr": {
        "projects": ["rang", "projet_id", "titre", "auteur", "pitch", "histoire", "categorie", "objectif", "devise",
                     "plateforme", "debut_campagne", "fin_campagne", "lien", "masque", "noeuds_carte",
                     "portee_premier_cercle", "attendu_premiers_jours", "elan_pct", "contributeurs"],
        "round": ["tour_{n}_gommettes", "tour_{n}_rang"],
        "map_nodes": ["projet_id", "projet", "noeud_id", "libelle", "type", "cercle", "portee", "x", "y", "ajoute_par",
                      "peut_amener"],
        "plan_items": ["projet_id", "projet", "element_id", "quand", "quoi", "a_qui", "cercle", "ou", "comment",
                       "ajoute_par"],
    },
}


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return BOM + out.getvalue()


def _headers(w: Words) -> dict:
    return _HEADERS[w.language]


def projects_csv(snapshot: dict) -> str:
    """One row per project, in ranking order, with its dots and rank in every revealed round."""
    w = Words(snapshot["board"]["language"])
    rounds = views.revealed_rounds(snapshot)
    header = list(_headers(w)["projects"])
    for vote_round in rounds:
        header += [h.format(n=vote_round["number"]) for h in _headers(w)["round"]]
    rows: list[list[object]] = [header]
    for view in views.ranked_projects(snapshot):
        p, m = view.project, view.momentum
        latest = view.latest_vote
        row: list[object] = [
            latest.rank if latest else None, p["id"], p["title"], view.author_name, p["pitch"], p["story"],
            p["category"], p["goal_amount"], p["currency"], p["platform"], p["campaign_start"], p["campaign_end"],
            p["link"], w.t("yes") if view.hidden else w.t("no"), len(view.tribe_map["nodes"]), m.inner_reach,
            m.expected_amount, m.progress_pct, "; ".join(view.contributors),
        ]
        by_round = {line.round: line for line in view.votes}
        for vote_round in rounds:
            line = by_round.get(vote_round["number"])
            row += [line.dots, line.rank] if line else [None, None]
        rows.append(row)
    return _write(rows)


def map_nodes_csv(snapshot: dict) -> str:
    """One row per person or group on every tribe map, with whom they can bring."""
    w = Words(snapshot["board"]["language"])
    names = views.participant_names(snapshot)
    titles = {p["id"]: p["title"] for p in snapshot["projects"]}
    rows: list[list[object]] = [list(_headers(w)["map_nodes"])]
    for tribe_map in snapshot["tribe_maps"]:
        labels = {n["id"]: n["label"] for n in tribe_map["nodes"]}
        for node in tribe_map["nodes"]:
            brings = [labels[link["to_node_id"]] for link in tribe_map["links"]
                      if link["from_node_id"] == node["id"] and link["to_node_id"] in labels]
            rows.append([tribe_map["project_id"], titles.get(tribe_map["project_id"]), node["id"], node["label"],
                         w.kind(node["kind"]), w.ring(node["ring"]), node["reach"], node["x"], node["y"],
                         names.get(node["added_by"]), "; ".join(brings)])
    return _write(rows)


def plan_items_csv(snapshot: dict) -> str:
    """One row per share-plan item, maps in project order and each plan in timeline order."""
    w = Words(snapshot["board"]["language"])
    names = views.participant_names(snapshot)
    titles = {p["id"]: p["title"] for p in snapshot["projects"]}
    rows: list[list[object]] = [list(_headers(w)["plan_items"])]
    for tribe_map in snapshot["tribe_maps"]:
        for phase, entries in views.plan_timeline(tribe_map):
            for entry in entries:
                item = entry.item
                whom = entry.node_label if entry.node_label is not None else w.ring(entry.ring)
                rows.append([tribe_map["project_id"], titles.get(tribe_map["project_id"]), item["id"], w.phase(phase),
                             item["what"], whom, w.ring(entry.ring), item["where"], item["how"],
                             names.get(item["added_by"])])
    return _write(rows)


RENDERERS = {"projects": projects_csv, "map_nodes": map_nodes_csv, "plan_items": plan_items_csv}


def render_table(snapshot: dict, table: str) -> str:
    """One of the CSV tables by name ("projects", "map_nodes", "plan_items")."""
    return RENDERERS[table](snapshot)


def render_zip(snapshot: dict, stem: str) -> bytes:
    """The three tables in one zip: `<stem>-projects.csv`, `<stem>-map_nodes.csv`, `<stem>-plan_items.csv`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            # A fixed date keeps the zip identical for identical content.
            info = zipfile.ZipInfo(f"{stem}-{table}.csv", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, render_table(snapshot, table).encode("utf-8"))
    return out.getvalue()
