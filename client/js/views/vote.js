// Story vote on the client: its state, catalogue, style and views (main.js imports only this module).

import { h } from "../dom.js";
import { addCatalogue } from "../i18n.js";
import votes from "../i18n/votes.js";
import "../state/votes.js";
import "./vote_status.js";
import "./vote_host.js";
import "./vote_results.js";
import "./vote_card.js";

addCatalogue(votes);
// The page shell lists the foundation's stylesheets; the vote brings its own (same origin, CSP-safe).
if (!document.querySelector('link[data-style="vote"]')) {
  document.head.append(h("link", { rel: "stylesheet", href: "/static/css/vote.css", "data-style": "vote" }));
}
