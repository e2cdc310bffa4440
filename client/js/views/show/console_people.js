// "Who is stuck": per participant, posted or not, dots used, which map they look at, online; remove someone.

import { h, replaceChildren } from "../../dom.js";
import { formatNumber, t } from "../../i18n.js";
import { sendOrToast, tickWhileMounted } from "./console_shared.js";
import { registerPanel } from "../registry.js";
import { COMMAND, EVENT, REQUEST } from "../../net/events.js";

const REFRESH_ON = new Set([EVENT.PARTICIPANT_JOINED, EVENT.PARTICIPANT_REMOVED, EVENT.PROJECT_POSTED, EVENT.PROJECT_DELETED,
  EVENT.VOTE_CAST_ACCEPTED, EVENT.VOTE_RETRACT_ACCEPTED, EVENT.VOTE_ROUND_STARTED, EVENT.SHOW_PHASE_CHANGED]);
const POLL_MS = 10000; // presence on maps is ephemeral: poll too, gently

function yesNo(value) {
  return t(value ? "show.stuck.yes" : "show.stuck.no");
}

function mount(container, ctx) {
  const summary = h("p", { class: "muted", "data-testid": "stuck-summary" });
  const body = h("tbody");
  const table = h("table", { class: "stuck", "data-testid": "stuck" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("show.stuck.name")), h("th", { scope: "col" }, t("show.stuck.posted")),
      h("th", { scope: "col" }, t("show.stuck.dots")), h("th", { scope: "col" }, t("show.stuck.map")),
      h("th", { scope: "col" }, t("show.stuck.connection")),
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("show.stuck.remove"))))),
    body);
  const empty = h("p", { class: "muted" }, t("show.stuck.none"));
  container.append(h("h2", { id: "stuck-h" }, t("show.stuck")), summary, empty, table);
  container.setAttribute("aria-labelledby", "stuck-h");

  let pending = null;
  const refresh = async () => {
    if (!ctx.socket.socket?.connected) return;
    const reply = await ctx.socket.request(REQUEST.SHOW_PROGRESS, {});
    if (reply?.ok) render(reply);
  };
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 300); // a burst of events makes one request
  };

  function render(reply) {
    const state = ctx.store.state;
    const rows = reply.participants;
    empty.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
    const budget = reply.vote?.budget ?? 0;
    // Say what each figure counts: "used all 3 dots" is not "voted" when rows show 2/3. One phrase per
    // count, each with its own plural ("1 en a placé", "2 en ont placé").
    const counts = {
      posted: rows.filter((r) => r.posted > 0).length,
      total: rows.length,
      done: rows.filter((r) => budget && r.dots_used >= budget).length,
      started: rows.filter((r) => r.dots_used > 0).length,
      budget,
    };
    counts.dots = t("show.stuck.summary.dots", counts);
    const phrases = budget
      ? ["show.stuck.summary.posted", "show.stuck.summary.done", "show.stuck.summary.started"]
      : ["show.stuck.summary.posted", "show.stuck.summary.no_vote"];
    summary.textContent = phrases.map((key) => t(key, counts)).join(" · ");
    replaceChildren(body, rows.map((r) => {
      const remove = h("button", { type: "button", class: "danger", "aria-label": t("show.stuck.remove.label", { name: r.name }) }, t("show.stuck.remove"));
      remove.addEventListener("click", () => {
        if (window.confirm(t("show.stuck.remove.confirm", { name: r.name }))) {
          sendOrToast(ctx, COMMAND.PARTICIPANT_REMOVE, { participant_id: r.participant_id });
        }
      });
      const map = r.map_project_id ? state.projects.get(r.map_project_id)?.title || `#${r.map_project_id}` : "–";
      return h("tr", { "data-online": String(r.online), "data-stuck": String(!r.posted) },
        h("th", { scope: "row" }, h("bdi", {}, r.name)),
        h("td", {}, r.posted ? `${yesNo(true)} (${formatNumber(r.posted)})` : yesNo(false)),
        h("td", {}, budget ? `${formatNumber(r.dots_used)}/${formatNumber(budget)}` : formatNumber(r.dots_used)),
        h("td", {}, map),
        h("td", { "data-testid": "stuck-connection" }, h("span", { class: "presence-dot", "data-online": String(r.online) }), " ",
          t(r.online ? "board.online" : "board.offline")),
        h("td", {}, remove));
    }));
  }

  tickWhileMounted(container, POLL_MS, refresh);
  ctx.subscribe((state, change) => {
    if (REFRESH_ON.has(change.type) || change.kind === "online" || change.kind === "snapshot"
        || (change.kind === "connection" && state.connection === "connected")) soon();
  });
}

registerPanel({ id: "stuck", area: "side", order: 8, roles: ["facilitator"], mount });
