// Home page: the facilitator creates a board; a participant types a join code.

import { h, replaceChildren } from "../../dom.js";
import { t, errorText, currentLanguage } from "../../i18n.js";
import { createBoard } from "../../net/api.js";
import { saveIdentity } from "../../identity.js";
import { copyRow, languageSwitch } from "../widgets.js";
import { loopbackWarning } from "./links_panel.js";
import { BOARD_TITLE_MAX, TYPED_CODE_MAX } from "../../limits.js";

/** Mount the home page into `root`. */
export function mountHome(root, { navigate, rerender }) {
  const error = h("p", { class: "form-error", role: "alert" });
  const title = h("input", { id: "board-title", name: "title", required: true, maxlength: BOARD_TITLE_MAX, autocomplete: "off" });
  const startsAt = h("input", { id: "board-starts", name: "starts_at", type: "datetime-local" });
  const language = h("select", { id: "board-language", name: "language" },
    h("option", { value: "fr" }, t("lang.fr")), h("option", { value: "en" }, t("lang.en")));
  language.value = currentLanguage();
  const createPanel = h("section", { class: "panel", "aria-labelledby": "create-h" });
  const createForm = h("form", { novalidate: true },
    h("div", { class: "field" }, h("label", { for: "board-title" }, t("home.create.board_title")), title),
    h("div", { class: "row" },
      h("div", { class: "field" }, h("label", { for: "board-starts" }, t("home.create.starts_at")), startsAt),
      h("div", { class: "field" }, h("label", { for: "board-language" }, t("home.create.language")), language)),
    error,
    h("button", { class: "primary", type: "submit" }, t("home.create.submit")));
  createForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const reply = await createBoard(title.value, language.value, startsAt.value);
    if (!reply.ok) {
      error.textContent = errorText(reply.error);
      title.focus();
      return;
    }
    saveIdentity(reply.board.code, "facilitator", { token: reply.facilitator_token, projector_link: reply.links.projector });
    showCreated(createPanel, reply, navigate);
  });
  replaceChildren(createPanel, h("h2", { id: "create-h" }, t("home.create.title")), h("p", { class: "muted" }, t("home.create.lead")), createForm);

  const codeError = h("p", { class: "form-error", role: "alert", id: "join-code-error", "data-testid": "join-code-error" });
  const code = h("input", { id: "join-code", name: "code", required: true, maxlength: TYPED_CODE_MAX, autocomplete: "off", class: "code",
    autocapitalize: "characters", "aria-describedby": "join-code-error" });
  const joinForm = h("form", { novalidate: true },
    h("div", { class: "field" }, h("label", { for: "join-code" }, t("home.join.code")), code),
    codeError,
    h("button", { class: "primary", type: "submit" }, t("home.join.submit")));
  joinForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const typed = code.value.toUpperCase().replace(/[\s_-]/g, "");
    codeError.textContent = "";
    code.removeAttribute("aria-invalid");
    if (!typed) return code.focus();
    // Board codes are letters and digits only: anything else ("/", "?", "#") can name no board, and would
    // otherwise reach the server as another address entirely.
    if (/[^A-Z0-9]/.test(typed)) {
      codeError.textContent = t("error.board_not_found");
      code.setAttribute("aria-invalid", "true");
      code.focus();
      return;
    }
    navigate(`/b/${encodeURIComponent(typed)}`);
  });
  const joinPanel = h("section", { class: "panel", "aria-labelledby": "join-h" },
    h("h2", { id: "join-h" }, t("home.join.title")), h("p", { class: "muted" }, t("home.join.lead")), joinForm);

  replaceChildren(root,
    h("main", { id: "main", class: "page" },
      h("div", { class: "brand" },
        h("img", { class: "brand-mark", src: "/static/favicon.svg", alt: "" }),
        h("div", {}, h("h1", {}, t("app.name")), h("p", { class: "muted" }, t("app.tagline"))),
        languageSwitch(rerender)),
      h("div", { class: "home-grid" }, createPanel, joinPanel)));
  title.focus();
}

function showCreated(panel, reply, navigate) {
  const { board, links } = reply;
  const open = h("button", { class: "primary", type: "button" }, t("home.created.open"));
  open.addEventListener("click", () => navigate(`/b/${board.code}/host`));
  replaceChildren(panel,
    h("h2", { id: "create-h", tabindex: "-1" }, t("home.created.title")),
    h("p", {}, t("home.created.code"), " ", h("span", { class: "code big-code", "data-testid": "board-code" }, board.code)),
    loopbackWarning(links.join),
    copyRow("link-join", t("home.created.join_link"), links.join),
    copyRow("link-host", t("home.created.host_link"), links.facilitator),
    copyRow("link-screen", t("home.created.screen_link"), links.projector),
    h("div", { class: "actions" }, open));
  panel.querySelector("h2").focus();
}
