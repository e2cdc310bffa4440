// Story vote on the client: its state, catalogue, views and projector stages (capabilities.js imports only this module).

import { addCatalogue } from "../../i18n.js";
import votes from "../../i18n/votes.js";
import "../../state/votes.js";
import "./vote_status.js";
import "./vote_host.js";
import "./vote_results.js";
import "./vote_card.js";
import "./vote_stages.js";

addCatalogue(votes);
