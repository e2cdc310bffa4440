// The facilitator's panel with the session's links and code.

import { publicBase } from "../page_config.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { copyRow } from "./widgets.js";
import { registerPanel } from "./registry.js";

function mount(container, ctx) {
  const code = ctx.store.state.board.code;
  const base = publicBase();
  container.append(
    h("h2", {}, t("board.links")),
    h("p", {}, t("home.created.code"), " ", h("span", { class: "code big-code" }, code)),
    copyRow("side-link-join", t("home.created.join_link"), `${base}/b/${code}`),
    copyRow("side-link-host", t("home.created.host_link"), `${base}/b/${code}/host#${ctx.identity.token}`),
  );
  if (ctx.identity.projector_link) container.append(copyRow("side-link-screen", t("home.created.screen_link"), ctx.identity.projector_link));
}

registerPanel({ id: "links", area: "side", order: 5, roles: ["facilitator"], mount });
