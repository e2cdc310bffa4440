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
/**
 * Put `text` on the clipboard, whole. Over plain HTTP on a LAN (not a secure context) there is no
 * navigator.clipboard: the text goes through a hidden field selected and copied the old way, so nothing of
 * it (an e-mail's subject) is lost. True when the copy was made.
 */
export async function copyText(text) {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // refused (no permission): the old way below
    }
  }
  const focused = document.activeElement;
  const scratch = h("textarea", { readonly: true, class: "visually-hidden", "aria-hidden": "true", tabindex: "-1" });
  scratch.value = text;
  document.body.append(scratch);
  scratch.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } finally {
    scratch.remove();
    focused?.focus?.();
  }
  return copied;
}

export function copyRow(id, label, value) {
  const input = h("input", { id, readonly: true, value });
  const button = h("button", { type: "button", "aria-label": `${t("copy")}: ${label}` }, t("copy"));
  button.addEventListener("click", async () => {
    input.select();
    await copyText(value);
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
      : state.connection === "retrying"
        ? t("conn.retrying", { seconds: state.retryIn || 1 })
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
