"""The exports' own words in French and English (the board's language), with dates and numbers."""
from __future__ import annotations

from datetime import datetime

from ..domain import locale_format

LANGUAGES = ("fr", "en")

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "summary.title": "Session summary",
        "booklet.title": "Booklet of {name}",
        "booklet.lead": "Your project after “{board}”: your story, the room's votes, your tribe map, your share plan and your e-mails, ready to use.",
        "board.date": "Date",
        "board.code": "Board code",
        "board.exported": "Exported",
        "board.language": "Language",
        "hidden.included": "This export includes content the facilitator hid or removed (marked as such).",
        "section.run": "How the session ran",
        "run.none": "The run of show was not used on this board.",
        "run.phase": "Phase",
        "run.planned": "Planned",
        "run.started": "Started",
        "run.ended": "Ended",
        "run.lasted": "Lasted",
        "run.not_run": "not run",
        "run.running": "still running",
        "section.participation": "Participation",
        "part.participants": "People on the board",
        "part.projects": "Projects posted",
        "part.authors": "People who posted a project",
        "part.map_contributors": "People who added to a tribe map",
        "part.nodes": "People and groups on the tribe maps",
        "part.plan_items": "Share-plan items",
        "part.dots": "Dots placed in round {round}",
        "section.ranking": "Projects ranked by votes",
        "ranking.round": "Round {round}",
        "ranking.rules": "{budget} dots per person, at most {cap} per story; ties share a rank.",
        "ranking.not_revealed": "Round {round} is {state}: its result is not revealed.",
        "ranking.none": "No vote took place.",
        "ranking.rank": "Rank",
        "ranking.project": "Project",
        "ranking.dots": "Dots",
        "state.not_started": "not started",
        "state.open": "open",
        "state.closed": "closed",
        "state.revealed": "revealed",
        "section.projects": "The projects",
        "projects.none": "No project was posted.",
        "project.by": "by {name}",
        "project.unknown_author": "an unknown author",
        "project.hidden": "hidden by the facilitator",
        "project.pitch": "Pitch",
        "project.story": "Story",
        "project.no_story": "No story written yet.",
        "project.category": "Category",
        "project.goal": "Funding goal",
        "project.platform": "Platform",
        "project.campaign": "Campaign",
        "project.campaign_dates": "{start} → {end}",
        "project.link": "Link",
        "project.votes": "Votes",
        "votes.line": "Round {round}: {dots}, rank {rank} of {count}",
        "dots.one": "{n} dot",
        "dots.many": "{n} dots",
        "votes.none": "No revealed vote on this project.",
        "votes.hidden": "Not in the room's ranking: the facilitator hid this card.",
        "section.map": "Tribe map",
        "map.empty": "Nobody is on this map yet.",
        "map.caption": "Tribe map of “{title}”: inner circle, network, crowd.",
        "map.links": "Who can bring whom",
        "map.link": "{from} can bring {to}",
        "map.reach": "reach {reach}",
        "section.plan": "Share plan",
        "plan.empty": "No share plan yet.",
        "plan.whom": "To",
        "plan.where": "Where",
        "plan.how": "How",
        "section.momentum": "Momentum",
        "momentum.line": "Inner circle: {reach} people × {conversion} × {pledge} ≈ {backers} backers, {amount} in the first days.",
        "momentum.target": "Target: about {pct} of the goal early, {target}. The inner circle alone reaches {progress} of it.",
        "momentum.no_goal": "Set a funding goal to compare with the first-days target.",
        "momentum.guidance": "Guidance from a common rule of thumb, not a promise.",
        "section.contributors": "Contributors",
        "contributors.none": "Nobody added to this map yet.",
        "section.emails": "E-mail drafts",
        "email.subject": "Subject",
        "email.suggested": "suggested draft, not edited yet",
        "email.saved": "your draft",
        "section.checklist": "Checklist",
        "check.share": "Share: send the inner-circle e-mail personally, before the launch, then follow the plan's timeline.",
        "check.thank": "Thank: answer every backer within a day, and thank the people who helped build this map.",
        "check.involve": "Involve: give your first circle something to do — share, introduce, come along — and tell them how it goes.",
        "booklet.no_project": "You did not post a project on this board.",
        "footer": "Made with Snowball.",
        "yes": "yes",
        "no": "no",
    },
    "fr": {
        "summary.title": "Synthèse de la session",
        "booklet.title": "Livret de {name}",
        "booklet.lead": "Votre projet après « {board} » : votre histoire, les votes de la salle, votre carte de tribu, votre plan de partage et vos mails, prêts à servir.",
        "board.date": "Date",
        "board.code": "Code du tableau",
        "board.exported": "Exporté le",
        "board.language": "Langue",
        "hidden.included": "Cet export inclut des contenus masqués ou retirés par l'animateur (signalés comme tels).",
        "section.run": "Déroulé de la session",
        "run.none": "Le déroulé n'a pas été utilisé sur ce tableau.",
        "run.phase": "Phase",
        "run.planned": "Prévu",
        "run.started": "Début",
        "run.ended": "Fin",
        "run.lasted": "Durée",
        "run.not_run": "non jouée",
        "run.running": "en cours",
        "section.participation": "Participation",
        "part.participants": "Personnes sur le tableau",
        "part.projects": "Projets postés",
        "part.authors": "Personnes ayant posté un projet",
        "part.map_contributors": "Personnes ayant contribué à une carte de tribu",
        "part.nodes": "Personnes et groupes sur les cartes",
        "part.plan_items": "Éléments de plan de partage",
        "part.dots": "Gommettes posées au tour {round}",
        "section.ranking": "Classement des projets par votes",
        "ranking.round": "Tour {round}",
        "ranking.rules": "{budget} gommettes par personne, {cap} au plus par histoire ; les ex æquo partagent un rang.",
        "ranking.not_revealed": "Le tour {round} est {state} : son résultat n'est pas dévoilé.",
        "ranking.none": "Aucun vote n'a eu lieu.",
        "ranking.rank": "Rang",
        "ranking.project": "Projet",
        "ranking.dots": "Gommettes",
        "state.not_started": "pas commencé",
        "state.open": "ouvert",
        "state.closed": "fermé",
        "state.revealed": "dévoilé",
        "section.projects": "Les projets",
        "projects.none": "Aucun projet n'a été posté.",
        "project.by": "par {name}",
        "project.unknown_author": "un auteur inconnu",
        "project.hidden": "masqué par l'animateur",
        "project.pitch": "En une phrase",
        "project.story": "Histoire",
        "project.no_story": "Pas encore d'histoire.",
        "project.category": "Catégorie",
        "project.goal": "Objectif de collecte",
        "project.platform": "Plateforme",
        "project.campaign": "Campagne",
        "project.campaign_dates": "{start} → {end}",
        "project.link": "Lien",
        "project.votes": "Votes",
        "votes.line": "Tour {round} : {dots}, rang {rank} sur {count}",
        "dots.one": "{n} gommette",
        "dots.many": "{n} gommettes",
        "votes.none": "Aucun vote dévoilé sur ce projet.",
        "votes.hidden": "Hors du classement de la salle : l'animateur a masqué cette carte.",
        "section.map": "Carte de tribu",
        "map.empty": "Personne n'est encore sur cette carte.",
        "map.caption": "Carte de tribu de « {title} » : premier cercle, réseau, foule.",
        "map.links": "Qui peut amener qui",
        "map.link": "{from} peut amener {to}",
        "map.reach": "portée {reach}",
        "section.plan": "Plan de partage",
        "plan.empty": "Pas encore de plan de partage.",
        "plan.whom": "À qui",
        "plan.where": "Où",
        "plan.how": "Comment",
        "section.momentum": "Élan",
        "momentum.line": "Premier cercle : {reach} personnes × {conversion} × {pledge} ≈ {backers} contributeurs, {amount} les premiers jours.",
        "momentum.target": "Cible : environ {pct} de l'objectif au début, {target}. Le premier cercle seul en atteint {progress}.",
        "momentum.no_goal": "Fixez un objectif de collecte pour comparer avec la cible des premiers jours.",
        "momentum.guidance": "Un repère tiré d'une règle courante, pas une promesse.",
        "section.contributors": "Contributeurs",
        "contributors.none": "Personne n'a encore contribué à cette carte.",
        "section.emails": "Brouillons de mails",
        "email.subject": "Objet",
        "email.suggested": "brouillon proposé, pas encore retouché",
        "email.saved": "votre brouillon",
        "section.checklist": "À faire",
        "check.share": "Partager : envoyez le mail du premier cercle personnellement, avant le lancement, puis suivez le calendrier du plan.",
        "check.thank": "Remercier : répondez à chaque contributeur dans la journée, et remerciez celles et ceux qui ont construit cette carte.",
        "check.involve": "Impliquer : donnez à votre premier cercle quelque chose à faire — partager, présenter, venir — et racontez-leur la suite.",
        "booklet.no_project": "Vous n'avez pas posté de projet sur ce tableau.",
        "footer": "Fait avec Snowball.",
        "yes": "oui",
        "no": "non",
    },
}

RING_NAMES = {
    "en": {"inner": "Inner circle", "network": "Network", "crowd": "Crowd"},
    "fr": {"inner": "Premier cercle", "network": "Réseau", "crowd": "Foule"},
}

KIND_NAMES = {
    "en": {"person": "person", "community": "community", "organisation": "organisation", "media": "media"},
    "fr": {"person": "personne", "community": "communauté", "organisation": "organisation", "media": "média"},
}

# Headings of the share plan's timeline (the campaign phases, in order).
PHASE_NAMES = {
    "en": {"before_launch": "Before launch", "launch_day": "Launch day", "first_week": "First week",
           "mid_campaign": "Mid-campaign", "final_push": "Final push", "after": "After the campaign"},
    "fr": {"before_launch": "Avant le lancement", "launch_day": "Jour du lancement", "first_week": "Première semaine",
           "mid_campaign": "Milieu de campagne", "final_push": "Dernière ligne droite", "after": "Après la campagne"},
}

for _lang in LANGUAGES:
    assert set(STRINGS[_lang]) == set(STRINGS["en"]), _lang


def isolate(text: str) -> str:
    """Typed text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, for text with no elements (a title, Markdown)."""
    return f"\u2068{text}\u2069" if text else text


class Words:
    """The exports' vocabulary in one language: t(key, **params), names of rings, kinds, phases."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"
        self._strings = STRINGS[self.language]

    def t(self, key: str, **params: object) -> str:
        """The sentence for `key` with its {placeholders} filled (user text stays plain: format_map).

        Numbers are written the language's way ("1,000" / "1 000"): every count in a sentence goes through
        the one formatter; pass a string for a number that must stay as it is.
        """
        shown = {k: self.number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
                 for k, v in params.items()}
        return self._strings[key].format_map(shown)

    def plain(self, key: str, **params: object) -> str:
        """The sentence, each text parameter between U+2068 and U+2069 (the <bdi> of plain text; WeasyPrint
        would not wrap an unbroken string inside a <bdi>, Pango honours the isolates)."""
        return self.t(key, **{k: isolate(v) if isinstance(v, str) else v for k, v in params.items()})

    @property
    def colon(self) -> str:
        """":" in English, " :" in French (a space before the colon)."""
        return " :" if self.language == "fr" else ":"

    def label(self, key: str, **params: object) -> str:
        """A label before its value: "Pitch:" / "Pitch :"."""
        return self.t(key, **params) + self.colon

    def dots(self, count: int) -> str:
        """"1 dot", "3 dots" / "1 gommette", "3 gommettes" (French keeps 0 and 1 singular)."""
        one = count <= 1 if self.language == "fr" else count == 1
        return self.t("dots.one" if one else "dots.many", n=count)

    def ring(self, ring: str | None) -> str:
        """A ring's name."""
        return RING_NAMES[self.language].get(ring or "", ring or "")

    def kind(self, kind: str) -> str:
        """A node kind's name."""
        return KIND_NAMES[self.language].get(kind, kind)

    def phase(self, phase: str) -> str:
        """A campaign phase's name (the share plan's timeline headings)."""
        return PHASE_NAMES[self.language].get(phase, phase)

    def number(self, value: int | float | None) -> str:
        """A number with the language's grouping (the one formatter: domain/locale_format)."""
        return locale_format.number(value, self.language)

    def percent(self, value: int | float | None) -> str:
        """A share in percent the language's way: "45%" / "45 %"."""
        return locale_format.percent(value, self.language)

    def amount(self, value: int | float | None, currency: str) -> str:
        """An amount of money the language's way: "€8,000" / "8 000 €"."""
        return locale_format.amount(value, currency, self.language)

    def day(self, iso_date: str | None) -> str:
        """"June 7, 2026" / "7 juin 2026" from an ISO date or date-time."""
        return locale_format.day(iso_date, self.language)

    def day_time(self, iso_moment: str | None) -> str:
        """A board's local start ("2026-06-07T17:00") as "June 7, 2026, 5:00 PM" / "7 juin 2026, 17:00"."""
        if not iso_moment:
            return ""
        if "T" not in iso_moment:
            return self.day(iso_moment)
        return f"{self.day(iso_moment)}, {locale_format.clock(iso_moment, self.language)}"

    def utc_time(self, iso_moment: str | None) -> str:
        """A stored UTC time as "5:02 PM UTC" / "17:02 UTC" (exports are read later, anywhere: say which clock)."""
        if not iso_moment:
            return ""
        return f"{locale_format.clock(iso_moment, self.language)} UTC"

    def utc_day_time(self, iso_moment: str | None) -> str:
        """A stored UTC time as "June 7, 2026, 5:02 PM UTC"."""
        if not iso_moment:
            return ""
        return f"{self.day(iso_moment)}, {self.utc_time(iso_moment)}"

    def minutes(self, seconds: int | None) -> str:
        """A duration in whole minutes: "15 min"."""
        if seconds is None:
            return ""
        return f"{round(seconds / 60)} min"


def parse_utc(iso_moment: str | None) -> datetime | None:
    """An export's "…Z" time back to a naive UTC datetime."""
    if not iso_moment:
        return None
    return datetime.fromisoformat(iso_moment.rstrip("Z"))
