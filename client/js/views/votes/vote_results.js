// The reveal, on every screen (participants, facilitator, projector): the ranking of the latest
// revealed round, ties sharing a rank, with counts; earlier rounds stay listed below.

import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n.js";
import { dotsOn, revealedRounds } from "../../state/votes.js";
import { registerPanel } from "../registry.js";

function table(state, round, withMine) {
  const head = h("tr", {}, h("th", { scope: "col" }, t("vote.rank")), h("th", { scope: "col" }, t("vote.story")),
    h("th", { scope: "col", class: "num" }, t("vote.dots")));
  if (withMine) head.append(h("th", { scope: "col", class: "num" }, t("vote.your_dots")));
  const rows = round.ranking.map((entry) => {
    // The title at the reveal is kept with the result; a story removed since still reads right.
    const title = state.projects.get(entry.project_id)?.title ?? entry.title;
    // A card hidden since the reveal: only its author and the facilitator still see it, without a rank.
    const row = h("tr", { "data-testid": "vote-result-row", "data-rank": entry.rank ?? "", "data-hidden": String(Boolean(entry.hidden)) },
      h("td", { class: "rank" }, entry.hidden ? "—" : String(entry.rank)),
      h("td", {}, title, entry.hidden ? h("span", { class: "hidden-mark" }, ` · ${t("vote.hidden_entry")}`) : null),
      h("td", { class: "num" }, String(entry.dots)));
    if (withMine) row.append(h("td", { class: "num" }, String(dotsOn(state.vote.mine, round.number, entry.project_id) || "")));
    return row;
  });
  return h("table", { class: "vote-ranking", "data-round": round.number },
    h("caption", { class: "visually-hidden" }, t("vote.results", { number: round.number })),
    h("thead", {}, head), h("tbody", {}, rows));
}

function mount(container, ctx) {
  const box = h("div", { class: "panel vote-results", "data-testid": "vote-results", "aria-live": "polite" });
  container.append(box);
  let shown = "";
  const render = (state) => {
    const rounds = revealedRounds(state);
    const withMine = state.me?.role === "participant";
    const key = JSON.stringify([rounds.map((r) => [r.number, r.ranking]), withMine && state.vote.mine?.dots,
      [...state.projects.values()].map((p) => p.title)]);
    if (key === shown) return; // keep the DOM (and reading position) while nothing changed
    shown = key;
    box.hidden = rounds.length === 0;
    if (!rounds.length) return replaceChildren(box);
    const [latest, ...earlier] = rounds;
    const body = [
      h("h2", { id: "vote-results-h" }, t("vote.results", { number: latest.number })),
      h("p", { class: "muted" }, t("vote.results_lead")),
      latest.ranking.some((r) => r.dots > 0) ? null : h("p", {}, t("vote.no_votes")),
      table(state, latest, withMine),
    ];
    if (earlier.length) {
      body.push(h("details", { class: "vote-earlier" }, h("summary", {}, t("vote.earlier_results")),
        earlier.map((round) => [h("h3", {}, t("vote.results", { number: round.number })), table(state, round, withMine)])));
    }
    replaceChildren(box, ...body);
  };
  render(ctx.store.state);
  ctx.subscribe((state) => render(state));
}

registerPanel({ id: "vote-results", area: "main", order: 11, mount });
