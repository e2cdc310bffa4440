// Story vote on the client: its state, catalogue and views (main.js imports only this module).

import { addCatalogue } from "../i18n.js";
import votes from "../i18n/votes.js";
import "../state/votes.js";
import "./vote_status.js";
import "./vote_host.js";
import "./vote_results.js";
import "./vote_card.js";

addCatalogue(votes);
