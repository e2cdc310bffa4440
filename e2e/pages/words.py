"""The interface words the page objects look for, per board language (the app's own, from its i18n)."""
from __future__ import annotations

WORDS = {
    "en": {
        "name": "Your name", "join": "Join the board", "personal_code": "Your personal code", "continue": "Continue",
        "title": "Project title", "pitch": "One-line pitch", "story": "The story: who, why, the cause",
        "goal": "Funding goal", "starts": "Campaign starts", "ends": "Campaign ends", "post": "Post the project",
        "edit": "Edit", "save": "Save", "open_map": "Open the tribe map of “{title}”", "back": "← Back to the board",
        "node_label": "Name or group", "ring": "Ring", "reach": "Reach (people)", "add_node": "Add to the map",
        "place": "Place a dot on “{title}”", "take_back": "Take back a dot from “{title}”",
    },
    "fr": {
        "name": "Votre nom", "join": "Rejoindre le tableau", "personal_code": "Votre code personnel",
        "continue": "Continuer", "title": "Titre du projet", "pitch": "Accroche en une phrase",
        "story": "L’histoire : qui, pourquoi, la cause", "goal": "Objectif de collecte",
        "starts": "Début de la campagne", "ends": "Fin de la campagne", "post": "Publier le projet",
        "edit": "Modifier", "save": "Enregistrer", "open_map": "Ouvrir la carte de tribu de « {title} »", "back": "← Retour au tableau",
        "node_label": "Nom ou groupe", "ring": "Cercle", "reach": "Portée (personnes)", "add_node": "Ajouter à la carte",
        "place": "Placer une gommette sur « {title} »", "take_back": "Reprendre une gommette de « {title} »",
    },
}
