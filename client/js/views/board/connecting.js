// Before the board arrives: "Connecting…", then — if the live connection cannot be made (a proxy or a
// firewall that blocks WebSockets, the wrong address, no network) — what happened and what to try.

import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n.js";

const EXPLAIN_AFTER_MS = 6000; // a connection that works is made in well under a second
const EXPLAIN_AFTER_FAILURES = 2;

/** Show the connecting screen in `root` until the board's first snapshot; returns a disposer. */
export function mountConnecting(root, { store, socket }) {
  const status = h("p", { class: "connecting-status", role: "status", "data-testid": "connecting" }, t("conn.opening"));
  const reason = h("div", { class: "connecting-reason", role: "alert", "data-testid": "connect-failed", hidden: true });
  // "loading" like the page shell's placeholder: tools that wait for the board (tests, axe) wait past this too.
  replaceChildren(root, h("main", { id: "main", class: "page loading" }, h("div", { class: "panel connecting" },
    h("h1", {}, t("app.name")), status, reason)));
  let waited = false;
  const explain = () => {
    const state = store.state;
    if (state.loaded || state.connection === "refused") return;
    if (!waited && (state.connectFailures || 0) < EXPLAIN_AFTER_FAILURES && state.connection !== "offline") return;
    if (!reason.hidden) return;
    const retry = h("button", { type: "button", class: "primary" }, t("conn.retry"));
    retry.addEventListener("click", () => socket.retry());
    replaceChildren(reason,
      h("p", {}, t(state.connection === "offline" ? "conn.failed_offline" : "conn.failed")),
      h("ul", {}, h("li", {}, t("conn.try_address", { address: location.host })), h("li", {}, t("conn.try_network")),
        h("li", {}, t("conn.try_proxy"))),
      retry);
    reason.hidden = false;
    status.textContent = t("conn.still_trying");
  };
  const timer = setTimeout(() => {
    waited = true;
    explain();
  }, EXPLAIN_AFTER_MS);
  const unsubscribe = store.subscribe((state, change) => {
    if (change.kind === "connection") explain();
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
