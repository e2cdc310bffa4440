// Every capability of the board, each registering itself as its module loads: reducers, snapshot
// loaders and ack handlers (state/store.js); panels, card extensions, hash views and projector stages
// (views/registry.js). A capability is listed here once; tests/unit/test_client_registrations.py
// loads this list and checks that every event has a reducer and every phase and spotlight a stage.
// The order is the order of registration, which matters where two capabilities handle one event.

import "./state/maps.js";
import "./state/votes.js"; // before board.js: when a card leaves, it names the card before board.js and show.js drop it
import "./state/board.js";
import "./state/show.js"; // after board.js: it files hidden cards aside

// Board, people, story cards.
import "./views/board/people.js";
import "./views/board/project_wall.js";
import "./views/board/links_panel.js";
import "./views/board/refused_panel.js";
// Story vote (its entry module brings its views and stages).
import "./views/votes/vote.js";
// Tribe maps (likewise).
import "./views/maps/map.js";
// Run of show: the projector and its stages, the timer, the spotlight, the facilitator's console.
import "./views/show/projector.js";
import "./views/show/timer.js";
import "./views/show/spotlight.js";
import "./views/show/console.js";
import "./views/show/console_people.js";
import "./views/show/console_cards.js";
import "./views/show/console_preview.js";
// Archive: exports and the take-home booklet.
import "./views/archive/exports_panel.js";
