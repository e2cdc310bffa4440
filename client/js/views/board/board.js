// The board page: header (who, where, connection) and the registered panels, or a hash view.

import { h, replaceChildren } from "../../dom.js";
import { t, tIsolated } from "../../i18n.js";
import { nameOf } from "../../state/board.js";
import { hashViewFor, panelsFor } from "../registry.js";
import { connectionStatus, languageSwitch, lastBoardNote } from "../widgets.js";

function header(ctx) {
  const state = ctx.store.state;
  const role = state.me?.role || ctx.role;
  const who = h("div", { class: "who" }, h("span", { class: "role-badge" }, t(`role.${role}`)));
  if (role === "participant") {
    who.append(h("span", { "data-testid": "me" }, tIsolated("board.you", { name: nameOf(state, state.me.participant_id) })));
    if (ctx.identity?.rejoin_code) {
      const code = h("details", { class: "personal-code" },
        h("summary", {}, t("board.show_code")),
        h("p", {}, t("board.personal_code"), ": ", h("span", { class: "code", "data-testid": "rejoin-code" }, ctx.identity.rejoin_code)),
        h("p", { class: "hint muted" }, t("board.personal_code_hint")));
      who.append(code);
    }
  }
  who.append(connectionStatus(ctx), languageSwitch(ctx.rerender));
  const el = h("header", { class: "board-header" },
    h("div", { class: "board-title" }, h("h1", {}, state.board.title), h("span", { class: "muted board-code" }, t("board.code", { code: state.board.code }))),
    who);
  el.append(lastBoardNote(ctx));
  // Header panels (the participant's "now" line: phase, time, what is closed) stay in view on every screen size.
  for (const panel of panelsFor("header", role)) {
    const container = h("div", { class: `header-slot header-${panel.id}` });
    el.append(container);
    panel.mount(container, ctx);
  }
  return el;
}

/** Mount the board page (after the first snapshot arrived). */
export function mountBoard(root, ctx) {
  const role = ctx.store.state.me?.role || ctx.role;
  const mainColumn = h("div", { class: "main-column" });
  const side = h("aside", { class: "side-column", "aria-label": t("board.people", { count: "" }).replace(/\s*\(\s*\)/, "") });
  const hashView = hashViewFor(location.hash);
  if (hashView) {
    for (const panel of panelsFor("main", role).filter((p) => p.everywhere)) {
      const container = h("section", { class: `panel-slot panel-${panel.id}` });
      mainColumn.append(container);
      panel.mount(container, ctx);
    }
    const container = h("div", { class: "hash-view" });
    mainColumn.append(container);
    hashView.view.mount(container, ctx, hashView.match);
  } else {
    for (const panel of panelsFor("main", role)) {
      const container = h("section", { class: `panel-slot panel-${panel.id}` });
      mainColumn.append(container);
      panel.mount(container, ctx);
    }
  }
  for (const panel of panelsFor("side", role)) {
    const container = h("section", { class: `panel side-panel panel-${panel.id}` });
    side.append(container);
    panel.mount(container, ctx);
  }
  replaceChildren(root, header(ctx), h("main", { id: "main", class: "page board-layout" }, mainColumn, side));
  focusSomewhereUseful(root, hashView);
}

/**
 * A page just drawn (joined, opened a map, came back) would leave focus on <body>: put it where the person
 * goes next — the view's heading, the first field of an open form, else the board's title.
 */
function focusSomewhereUseful(root, hashView) {
  if (document.activeElement && document.activeElement !== document.body) return;
  const target = hashView ? root.querySelector(".hash-view h2, .hash-view h1")
    : root.querySelector(".post-panel[open] input") || root.querySelector(".board-header h1");
  if (!target) return;
  if (!target.matches("input, select, textarea, button, a")) target.setAttribute("tabindex", "-1");
  target.focus();
}
