"""E-mail drafts per ring: a personal message built from the project's own words and its share plan."""
from __future__ import annotations

from . import limits, locale_format
from .tribe_maps import PHASES, RINGS, check_ring, phase_order

EMAIL_SUBJECT_MAX = 150
EMAIL_BODY_MAX = 5000
STORY_EXCERPT_MAX = 600

PHASE_LABELS = {
    "en": {
        "before_launch": "before the launch", "launch_day": "on launch day", "first_week": "in the first week",
        "mid_campaign": "mid-campaign", "final_push": "in the final push", "after": "after the campaign",
    },
    "fr": {
        "before_launch": "avant le lancement", "launch_day": "le jour du lancement", "first_week": "la première semaine",
        "mid_campaign": "en milieu de campagne", "final_push": "dans la dernière ligne droite", "after": "après la campagne",
    },
}
assert all(set(labels) == set(PHASES) for labels in PHASE_LABELS.values())

# One template per ring and language. {placeholders} come from the project; [brackets] are for the
# author to fill in by hand (a first name, a signature): the draft is a start, not a mail merge.
TEMPLATES = {
    "en": {
        "inner": (
            "{title}: I'd love you to be among the first",
            "Hello [first name],\n\n"
            "You are one of the first people I want to tell: I am launching {title} — {pitch}\n\n"
            "{story}"
            "{campaign}"
            "{goal}"
            "{plan}"
            "Could you back it in the very first days, and tell one or two people around you? "
            "The first days decide everything.\n\n"
            "Thank you for being there from the start,\n[your name]{link}",
        ),
        "network": (
            "{title}: could you help us spread the word?",
            "Hello [name],\n\n"
            "I am writing to you because you and your community care about the same things as {title}: {pitch}\n\n"
            "{story}"
            "{campaign}"
            "{goal}"
            "{plan}"
            "Would you share it with your members, friends or followers? A post, a word in your newsletter "
            "or simply forwarding this message helps a lot.\n\n"
            "Thank you for your support,\n[your name]{link}",
        ),
        "crowd": (
            "{title} — a story for your readers",
            "Hello [name],\n\n"
            "{title}: {pitch}\n\n"
            "{story}"
            "{campaign}"
            "{goal}"
            "{plan}"
            "I would be glad to tell you more, send pictures or answer your questions.\n\n"
            "Best regards,\n[your name]{link}",
        ),
    },
    "fr": {
        "inner": (
            "{title} : j'aimerais que tu sois parmi les premiers",
            "Bonjour [prénom],\n\n"
            "Tu fais partie des premières personnes à qui je veux l'annoncer : je lance {title} — {pitch}\n\n"
            "{story}"
            "{campaign}"
            "{goal}"
            "{plan}"
            "Pourrais-tu y contribuer dès les premiers jours, et en parler à une ou deux personnes autour de toi ? "
            "Les premiers jours décident de tout.\n\n"
            "Merci d'être là dès le début,\n[ton nom]{link}",
        ),
        "network": (
            "{title} : pouvez-vous nous aider à faire passer le mot ?",
            "Bonjour [nom],\n\n"
            "Je vous écris parce que vous et votre communauté partagez les valeurs de {title} : {pitch}\n\n"
            "{story}"
            "{campaign}"
            "{goal}"
            "{plan}"
            "Pourriez-vous le partager avec vos membres, vos amis ou votre public ? Un message, un mot dans "
            "votre lettre d'information ou simplement faire suivre ce mail nous aide beaucoup.\n\n"
            "Merci pour votre soutien,\n[votre nom]{link}",
        ),
        "crowd": (
            "{title} — une histoire pour vos lecteurs",
            "Bonjour [nom],\n\n"
            "{title} : {pitch}\n\n"
            "{story}"
            "{campaign}"
            "{goal}"
            "{plan}"
            "Je serais ravi·e de vous en dire plus, d'envoyer des photos ou de répondre à vos questions.\n\n"
            "Bien cordialement,\n[votre nom]{link}",
        ),
    },
}
assert all(set(TEMPLATES[lang]) == set(RINGS) for lang in TEMPLATES)

LINES = {
    "en": {
        "campaign_dates": "The campaign runs from {start} to {end}{platform}.\n\n",
        "campaign_start": "The campaign opens on {start}{platform}.\n\n",
        "campaign_platform": "The campaign will be on {platform_name}.\n\n",
        "platform": " on {platform_name}",
        "goal": "Our goal is {amount}.\n\n",
        "plan": "What I am planning:\n{items}\n\n",
        "plan_item": "- {when}: {what}",
        "link": "\n{link}",
    },
    "fr": {
        "campaign_dates": "La campagne a lieu du {start} au {end}{platform}.\n\n",
        "campaign_start": "La campagne ouvre le {start}{platform}.\n\n",
        "campaign_platform": "La campagne sera sur {platform_name}.\n\n",
        "platform": " sur {platform_name}",
        "goal": "Notre objectif : {amount}.\n\n",
        "plan": "Ce que je prévois :\n{items}\n\n",
        "plan_item": "- {when} : {what}",
        "link": "\n{link}",
    },
}


def isolated(text: str) -> str:
    """Typed text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a right-to-left title or an
    override in it keeps its direction to itself, and the draft's own words around it read as written."""
    return f"\u2068{text}\u2069" if text else text


def language_of(raw: str) -> str:
    """The board's language, English when unknown."""
    return raw if raw in TEMPLATES else "en"


def _excerpt(story: str) -> str:
    """The story's first paragraph, cut on a word boundary: the project's own words, briefly."""
    first = (story or "").strip().split("\n\n")[0].strip()
    if len(first) > STORY_EXCERPT_MAX:
        first = first[:STORY_EXCERPT_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return isolated(first) + "\n\n" if first else ""


def _campaign(language: str, project: dict) -> str:
    lines = LINES[language]
    platform_name = (project.get("platform") or "").strip()
    platform = lines["platform"].format(platform_name=isolated(platform_name)) if platform_name else ""
    # Long-form dates in the board's language, as on the cards and in the booklet.
    start = locale_format.day(project.get("campaign_start"), language)
    end = locale_format.day(project.get("campaign_end"), language)
    if start and end:
        return lines["campaign_dates"].format(start=start, end=end, platform=platform)
    if start:
        return lines["campaign_start"].format(start=start, platform=platform)
    if platform_name:
        return lines["campaign_platform"].format(platform_name=isolated(platform_name))
    return ""


def _plan(language: str, ring: str, plan_items: list[dict], nodes: list[dict]) -> str:
    """The share-plan items meant for this ring (directly or through one of its nodes), in timeline order."""
    ring_of_node = {node["id"]: node["ring"] for node in nodes}
    mine = [item for item in plan_items if (item.get("ring") or ring_of_node.get(item.get("node_id"))) == ring]
    if not mine:
        return ""
    labels = PHASE_LABELS[language]
    line = LINES[language]["plan_item"]
    items = "\n".join(line.format(when=labels[item["when"]], what=isolated(item["what"])) for item in sorted(mine, key=phase_order))
    return LINES[language]["plan"].format(items=items)


def compose(language: str, ring: str, project: dict, plan_items: list[dict], nodes: list[dict]) -> dict:
    """The default draft for one ring: {ring, subject, body}, in the board's language."""
    language = language_of(language)
    check_ring(ring)
    lines = LINES[language]
    subject, body = TEMPLATES[language][ring]
    goal = project.get("goal_amount")
    words = {
        "title": isolated(project.get("title", "")),
        "pitch": isolated((project.get("pitch") or "").strip()),
        "story": _excerpt(project.get("story", "")),
        "campaign": _campaign(language, project),
        "goal": lines["goal"].format(amount=locale_format.amount(goal, project.get("currency") or "EUR", language)) if goal else "",
        "plan": _plan(language, ring, plan_items, nodes),
        "link": lines["link"].format(link=project["link"]) if project.get("link") else "",
    }
    # format_map never re-reads substituted values, so braces people type stay plain text.
    return {
        "ring": ring,
        "subject": subject.format_map(words)[:EMAIL_SUBJECT_MAX],
        "body": body.format_map(words)[:EMAIL_BODY_MAX],
    }


def validate_draft(ring: str, subject: str, body: str) -> dict:
    """A saved draft: a ring, a subject and a body within their limits."""
    return {
        "ring": check_ring(ring),
        "subject": limits.check_text("subject", subject, EMAIL_SUBJECT_MAX),
        "body": limits.check_text("body", body, EMAIL_BODY_MAX, required=True),
    }
