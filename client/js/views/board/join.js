// Join page: pick a display name, or continue with a personal rejoin code from another laptop.

import { h, replaceChildren } from "../../dom.js";
import { t, tIsolated, errorText } from "../../i18n.js";
import { boardInfo, joinBoard, rejoinBoard } from "../../net/api.js";
import { newOpId, saveIdentity } from "../../identity.js";
import { languageSwitch } from "../widgets.js";
import { DISPLAY_NAME_MAX, TYPED_CODE_MAX } from "../../limits.js";

// The board's public facts (code, title, language) as this device last read them: the join page of a
// board opened here before opens offline too (the service worker keeps the page itself).
const infoKey = (code) => `snowball:${code}:board-info`;

function keepBoardInfo(code, board) {
  try {
    localStorage.setItem(infoKey(code), JSON.stringify(board));
  } catch {
    // Storage full or refused: the join page just won't open offline.
  }
}

function keptBoardInfo(code) {
  try {
    return JSON.parse(localStorage.getItem(infoKey(code)) || "null");
  } catch {
    return null;
  }
}

/** "Server busy: trying again in N s…", or "Trying again…" at zero. */
function waitText(seconds) {
  return seconds > 0 ? t("http.retrying", { seconds }) : t("http.trying");
}

/** Mount the join page for board `code`; calls onJoined() once this device has an identity. */
export async function mountJoin(root, { code, onJoined, rerender, chooseLanguage }) {
  // A busy server (a room's address over a limit, Redis away) is waited out, with the countdown shown.
  const waiting = h("p", { role: "status", "data-testid": "http-wait" });
  let info = await boardInfo(code, (seconds) => {
    if (!waiting.isConnected) {
      replaceChildren(root, h("main", { id: "main", class: "page" }, h("div", { class: "panel" }, h("h1", {}, t("app.name")), waiting)));
    }
    waiting.textContent = waitText(seconds);
  });
  const offline = !info.ok && info.error?.code === "network";
  if (info.ok) keepBoardInfo(code, info.board);
  else if (offline && keptBoardInfo(code)) info = { ok: true, board: keptBoardInfo(code) };
  if (offline) window.addEventListener("online", () => rerender(), { once: true }); // back: the live page
  if (!info.ok) {
    chooseLanguage(null); // no board known: the person's own language, else the browser's
    const retry = h("button", { type: "button", "data-testid": "join-retry" }, t("conn.retry"));
    retry.addEventListener("click", () => rerender());
    replaceChildren(root, h("main", { id: "main", class: "page" },
      h("div", { class: "panel" }, h("h1", {}, t("app.name")),
        h("p", { role: "alert", "data-testid": "join-unavailable" }, offline ? t("join.never_opened") : errorText(info.error)),
        offline ? retry : h("a", { href: "/", class: "button" }, t("home.join.title")))));
    return;
  }
  chooseLanguage(info.board.language);
  const name = h("input", { id: "join-name", name: "name", required: true, maxlength: DISPLAY_NAME_MAX, autocomplete: "nickname" });
  const error = h("p", { class: "form-error", role: "alert", id: "join-name-error", "data-testid": "join-error" });
  const busy = h("p", { class: "hint", role: "status", "data-testid": "join-wait" }); // quiet: a countdown, not an alert
  const submit = h("button", { class: "primary", type: "submit" }, t("join.submit"));
  const opId = newOpId(); // the same op_id if the person clicks twice: one join
  const form = h("form", { novalidate: true },
    h("div", { class: "field" }, h("label", { for: "join-name" }, t("join.name")),
      h("p", { class: "hint", id: "join-name-hint" }, t("join.name_hint")), name),
    error, busy, submit);
  name.setAttribute("aria-describedby", "join-name-hint join-name-error");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    name.removeAttribute("aria-invalid");
    if (!name.value.trim()) {
      error.textContent = t("join.name_required");
      name.setAttribute("aria-invalid", "true");
      name.focus();
      return;
    }
    submit.disabled = true;
    const reply = await joinBoard(code, name.value, opId, (seconds) => { busy.textContent = waitText(seconds); });
    busy.textContent = "";
    submit.disabled = false;
    if (!reply.ok) {
      error.textContent = errorText(reply.error);
      name.focus();
      return;
    }
    keep(reply);
  });

  const rejoinCode = h("input", { id: "rejoin-code", name: "rejoin_code", maxlength: TYPED_CODE_MAX, autocomplete: "off", class: "code", autocapitalize: "characters" });
  const rejoinError = h("p", { class: "form-error", role: "alert" });
  const rejoinForm = h("form", { novalidate: true },
    h("div", { class: "field" }, h("label", { for: "rejoin-code" }, t("join.rejoin.code")), rejoinCode),
    rejoinError, h("button", { type: "submit" }, t("join.rejoin.submit")));
  rejoinForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    rejoinError.textContent = "";
    const reply = await rejoinBoard(code, rejoinCode.value);
    if (!reply.ok) {
      rejoinError.textContent = errorText(reply.error);
      rejoinCode.focus();
      return;
    }
    keep(reply);
  });

  function keep(reply) {
    saveIdentity(reply.board_code, "participant", {
      token: reply.token, participant_id: reply.participant.id, rejoin_code: reply.rejoin_code,
    });
    onJoined(reply.board_code);
  }

  replaceChildren(root, h("main", { id: "main", class: "page" },
    h("div", { class: "brand" }, h("img", { class: "brand-mark", src: "/static/favicon.svg", alt: "" }),
      h("p", { class: "muted" }, t("app.name"), " · ", h("span", { class: "code" }, info.board.code)), languageSwitch(rerender)),
    h("div", { class: "home-grid" },
      h("section", { class: "panel", "aria-labelledby": "join-h" }, h("h1", { id: "join-h" }, tIsolated("join.title", { title: info.board.title })),
        offline ? h("p", { class: "last-board-note", role: "status", "data-testid": "join-offline" }, t("join.offline")) : null, form),
      h("section", { class: "panel", "aria-labelledby": "rejoin-h" }, h("h2", { id: "rejoin-h" }, t("join.rejoin.title")), rejoinForm))));
  name.focus();
}
