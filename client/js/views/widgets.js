// Small shared controls: language switch, copyable link, connection status.

import { h } from "../dom.js";
import { t, currentLanguage, formatDate, setLanguage } from "../i18n.js";

/** A select that switches this person's language and redraws the page. */
export function languageSwitch(rerender) {
  const select = h("select", { id: "lang-switch", class: "lang-switch", "aria-label": t("lang.switch") },
    h("option", { value: "fr" }, "Français"), h("option", { value: "en" }, "English"));
  select.value = currentLanguage();
  select.addEventListener("change", () => {
    setLanguage(select.value);
    rerender();
  });
  return h("div", { class: "lang" }, select);
}

/** A read-only field with a Copy button (links and codes to hand out). */
export function copyRow(id, label, value) {
  const input = h("input", { id, readonly: true, value });
  const button = h("button", { type: "button", "aria-label": `${t("copy")}: ${label}` }, t("copy"));
  button.addEventListener("click", async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      document.execCommand?.("copy");
    }
    button.textContent = t("copied");
  });
  return h("div", { class: "field" }, h("label", { for: id }, label), h("div", { class: "copy-row" }, input, button));
}

/** The quiet connection indicator: live, reconnecting, offline, and how many changes wait. */
export function connectionStatus({ store, subscribe }) {
  const el = h("span", { class: "conn", role: "status", "data-testid": "connection" });
  const render = (state) => {
    el.dataset.state = state.connection || "connecting";
    let text = state.connection === "refused"
      ? t("conn.refused", { reason: state.refusal?.message || "" })
      : t(`conn.${state.connection || "connecting"}`);
    if (state.pendingCount) text += ` · ${t("conn.waiting", { count: state.pendingCount })}`;
    el.textContent = text;
  };
  render(store.state);
  subscribe((state, change) => {
    if (change.kind === "connection" || change.kind === "pending" || change.kind === "snapshot") render(state);
  });
  return el;
}

/** Said plainly while the board on screen is the copy kept on this device (no server reached yet). */
export function lastBoardNote({ store, subscribe }) {
  const el = h("p", { class: "last-board-note", role: "status", "data-testid": "offline-copy" });
  const render = (state) => {
    const copy = Boolean(state.fromCache) && state.connection !== "connected";
    el.hidden = !copy;
    el.textContent = copy ? t("conn.last_board", { time: formatDate(new Date(state.fromCache).toISOString(), true) }) : "";
  };
  render(store.state);
  subscribe((state, change) => {
    if (change.kind === "connection" || change.kind === "snapshot") render(state);
  });
  return el;
}
