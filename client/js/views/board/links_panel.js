// The facilitator's panel with the session's links and code.

import { publicBase } from "../../page_config.js";
import { h } from "../../dom.js";
import { t } from "../../i18n.js";
import { copyRow } from "../widgets.js";
import { registerPanel } from "../registry.js";

/** True when `base` names this machine only (127.x, localhost, ::1, 0.0.0.0): no other laptop can open it. */
export function isLoopback(base) {
  let host;
  try {
    host = new URL(base).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "::1" || host === "0.0.0.0";
}

/** The warning a facilitator needs before showing a join link that only works on their own laptop. */
export function loopbackWarning(base) {
  if (!isLoopback(base)) return null;
  return h("div", { class: "notice warn", role: "alert", "data-testid": "loopback-warning" },
    h("p", {}, h("strong", {}, t("links.loopback.title", { address: new URL(base).host }))),
    h("p", {}, t("links.loopback.what")),
    h("pre", { class: "command" }, "SNOWBALL_HOST=0.0.0.0 SNOWBALL_PUBLIC_URL=http://<LAN-address>:5000 .ci/serve"));
}

function mount(container, ctx) {
  const code = ctx.store.state.board.code;
  const base = publicBase();
  container.append(
    h("h2", {}, t("board.links")),
    loopbackWarning(base),
    h("p", {}, t("home.created.code"), " ", h("span", { class: "code big-code" }, code)),
    copyRow("side-link-join", t("home.created.join_link"), `${base}/b/${code}`),
    copyRow("side-link-host", t("home.created.host_link"), `${base}/b/${code}/host#${ctx.identity.token}`),
  );
  if (ctx.identity.projector_link) container.append(copyRow("side-link-screen", t("home.created.screen_link"), ctx.identity.projector_link));
}

registerPanel({ id: "links", area: "side", order: 5, roles: ["facilitator"], mount });
