// The vote on the projector: its progress over the wall, then the ranking (in pages that fit, the
// podium on every page); the wrap-up thanks the room over the last revealed ranking.

import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n.js";
import { currentRound, revealedRounds, whoIsDone } from "../../state/votes.js";
import { registerStage } from "../registry.js";
import { pager, roomBelow, wallStage } from "../show/projector_stages.js";

const RANKING_COLUMNS = 2;
const RANKING_ROW = 84;   // px: a ranking row (44-px text, padding), as projector.css draws it
const TOP_PINNED = 3;     // the podium stays on every page of a long ranking

function votingStage() {
  const wall = wallStage("voting");
  return {
    key: "voting",
    mount(container) {
      const progress = h("p", { class: "projector-vote-progress", "data-testid": "vote-progress" });
      const title = h("h2", { class: "stage-title", "data-testid": "vote-stage-title" });
      container.append(title, progress);
      const updateWall = wall.mount(container);
      return (state) => {
        const round = currentRound(state);
        // The room reads the vote's real state: not open yet, in progress, or closed with results to come.
        title.textContent = t(round.state === "closed" ? "show.projector.vote_closed"
          : round.state === "open" ? "show.projector.voting" : "show.projector.vote_soon");
        progress.hidden = round.state !== "open";
        // The same count as the facilitator's: people removed from the board are no longer voters.
        const { voters, done } = state.vote ? whoIsDone(state) : { voters: 0, done: 0 };
        progress.textContent = t("show.projector.voters_done", { done, total: voters });
        updateWall(state);
      };
    },
  };
}

function rankingRow(row, index) {
  return h("li", { "data-rank": String(row.rank), "data-testid": "ranking-row", class: index < TOP_PINNED ? "top" : "" },
    h("span", { class: "rank" }, String(row.rank)),
    h("span", { class: "title", dir: "auto" }, row.title),
    h("span", { class: "dots" }, t("show.projector.dots", { count: row.dots })));
}

/** The ranking in columns that fit the stage; a long one turns its pages, the top three on every page. */
function rankingStage(round, key = `ranking:${round.number}`, heading = t("show.projector.ranking")) {
  return {
    key,
    mount(container) {
      const pages = h("p", { class: "stage-pager", "data-testid": "ranking-pager", hidden: true });
      const list = h("ol", { class: "ranking", "data-testid": "ranking" });
      container.append(h("div", { class: "stage-head" }, h("h2", { class: "stage-title" }, heading), pages), list);
      let top = [];
      const turn = pager(list, pages, {
        fit: () => {
          const style = getComputedStyle(list);
          const gap = parseFloat(style.rowGap) || 16;
          const perColumn = Math.max(1, Math.floor((roomBelow(list) + gap) / (RANKING_ROW + gap)));
          return Math.max(1, perColumn * RANKING_COLUMNS - top.length);
        },
        draw: (shown, size) => {
          const perColumn = Math.ceil((size + top.length) / RANKING_COLUMNS);
          list.style.setProperty("--rows", String(Math.max(1, perColumn)));
          replaceChildren(list, [...top, ...shown].map((row, index) => rankingRow(row, index)));
        },
      });
      return (state) => {
        // The round as it is now: a card hidden since the reveal leaves it live (the stage stays).
        const live = state?.vote?.rounds.find((r) => r.number === round.number) || round;
        // The room's ranking only: a facilitator's preview drops the hidden cards it still sees.
        const rows = (live.ranking || []).filter((row) => !row.hidden);
        top = rows.filter((row) => row.rank <= TOP_PINNED).slice(0, TOP_PINNED);
        turn(rows.slice(top.length));
      };
    },
  };
}

function thanksStage(round) {
  if (round) return rankingStage(round, `thanks:${round.number}`, t("show.projector.thanks"));
  return {
    key: "thanks:0",
    mount(container) {
      container.append(h("h2", { class: "stage-title thanks" }, t("show.projector.thanks")));
      return () => {};
    },
  };
}

// The vote phase: the ranking once the current round is revealed, its progress before.
registerStage("vote", (state) => {
  const round = currentRound(state);
  return round.state === "revealed" ? rankingStage(round) : votingStage();
});
registerStage("wrapup", (state) => thanksStage(revealedRounds(state)[0]));
