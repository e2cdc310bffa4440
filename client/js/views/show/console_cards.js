// Moderation on every story card: the facilitator spotlights (card or map), hides or shows it again;
// the author and the facilitator see "Hidden by the facilitator" on a hidden card.

import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n.js";
import { sendOrToast } from "./console_shared.js";
import { registerCardExtension } from "../registry.js";
import { COMMAND } from "../../net/events.js";

function fill(el, ctx, project) {
  const state = ctx.store.state;
  const hidden = state.hiddenProjects?.has(project.id) ?? false;
  const card = el.closest(".card");
  if (card) card.dataset.hidden = String(hidden);
  const parts = [];
  if (hidden) parts.push(h("p", { class: "hidden-badge", "data-testid": "hidden-badge" }, t("show.hidden")));
  if (state.me?.role === "facilitator" && !ctx.preview) {
    const spot = (view) => () => sendOrToast(ctx, COMMAND.SPOTLIGHT_SET, { project_id: project.id, view });
    const card = h("button", { type: "button", "aria-label": t("show.spotlight.card.label", { title: project.title }), disabled: hidden }, t("show.spotlight.card"));
    card.addEventListener("click", spot("card"));
    const map = h("button", { type: "button", "aria-label": t("show.spotlight.map.label", { title: project.title }), disabled: hidden }, t("show.spotlight.map"));
    map.addEventListener("click", spot("map"));
    const toggle = hidden
      ? h("button", { type: "button", "aria-label": t("show.unhide.label", { title: project.title }) }, t("show.unhide"))
      : h("button", { type: "button", class: "danger", "aria-label": t("show.hide.label", { title: project.title }) }, t("show.hide"));
    toggle.addEventListener("click", () => sendOrToast(ctx, hidden ? COMMAND.PROJECT_UNHIDE : COMMAND.PROJECT_HIDE, { project_id: project.id }));
    parts.push(h("div", { class: "actions moderation" }, card, map, toggle));
  }
  replaceChildren(el, parts);
}

registerCardExtension({
  id: "moderation",
  create(ctx, project) {
    const el = h("div", { class: "card-moderation" });
    fill(el, ctx, project);
    return el;
  },
  update(el, ctx, project) {
    fill(el, ctx, project);
  },
});
