// The story card form: post a new project, or edit one (author or facilitator).

import { h, toast } from "../../dom.js";
import { t, errorText } from "../../i18n.js";
import { COMMAND } from "../../net/events.js";
import { CURRENCIES } from "../../state/board.js";
import { PROJECT_CATEGORY_MAX, PROJECT_LINK_MAX, PROJECT_PITCH_MAX, PROJECT_PLATFORM_MAX, PROJECT_STORY_MAX, PROJECT_TITLE_MAX } from "../../limits.js";

const QUEUED_AFTER_MS = 4000;
const wait = (ms) => new Promise((resolve) => setTimeout(() => resolve(null), ms));

const FIRST_FIELDS = [["title", PROJECT_TITLE_MAX], ["pitch", PROJECT_PITCH_MAX]]; // one line each, required

/**
 * Build the form. `project` is the card being edited (or undefined to post a new one);
 * `onDone()` is called after the server accepted it (or on cancel, for an edit).
 */
export function projectForm(ctx, { project, onDone, idPrefix = "new" }) {
  const id = (name) => `${idPrefix}-${name}`;
  const inputs = {};
  const field = (name, control, wide = false) => {
    control.id = id(name);
    control.name = name;
    inputs[name] = control;
    return h("div", { class: wide ? "field wide" : "field" }, h("label", { for: id(name) }, t(`project.field.${name}`)), control);
  };
  const rows = [];
  for (const [name, max] of FIRST_FIELDS) {
    rows.push(field(name, h("input", { maxlength: max, required: true, autocomplete: "off" })));
  }
  rows.push(field("story", h("textarea", { maxlength: PROJECT_STORY_MAX }), true));
  const currency = h("select", {}, ...CURRENCIES.map((c) => h("option", { value: c }, c)));
  rows.push(h("div", { class: "row" },
    field("category", h("input", { maxlength: PROJECT_CATEGORY_MAX, autocomplete: "off" })),
    field("goal_amount", h("input", { type: "number", min: 0, step: 1, inputmode: "numeric" })),
    field("currency", currency)));
  rows.push(h("div", { class: "row" },
    field("platform", h("input", { maxlength: PROJECT_PLATFORM_MAX, autocomplete: "off" })),
    field("campaign_start", h("input", { type: "date" })),
    field("campaign_end", h("input", { type: "date" }))));
  rows.push(field("link", h("input", { type: "url", maxlength: PROJECT_LINK_MAX, placeholder: "https://" })));

  for (const [name, control] of Object.entries(inputs)) {
    const value = project ? project[name] : name === "currency" ? "EUR" : "";
    control.value = value ?? "";
  }

  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { class: "primary", type: "submit" }, t(project ? "project.submit.save" : "project.submit.post"));
  const actions = h("div", { class: "actions" }, submit);
  if (project) {
    const cancel = h("button", { type: "button" }, t("project.cancel"));
    cancel.addEventListener("click", () => onDone());
    actions.append(cancel);
  }
  const form = h("form", { class: "project-form", novalidate: true }, ...rows, error, actions);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const fields = readFields(inputs);
    const sending = project
      ? ctx.socket.send(COMMAND.PROJECT_EDIT, { project_id: project.id, project: fields })
      : ctx.socket.send(COMMAND.PROJECT_POST, { project: fields });
    submit.disabled = true;
    // Offline (or the answer is slow): the change is kept on this device and shown as pending.
    const ack = ctx.socket.online ? await Promise.race([sending, wait(QUEUED_AFTER_MS)]) : null;
    submit.disabled = false;
    if (ack === null) {
      if (!project) form.reset();
      toast(t("pending.saved_offline"));
      onDone(null);
      return;
    }
    if (!ack.ok) {
      error.textContent = errorText(localiseField(ack.error));
      const bad = ack.error?.params?.field?.split(".").pop();
      (inputs[bad] || inputs.title).focus();
      return;
    }
    if (!project) form.reset();
    onDone(ack);
  });
  return form;
}

function readFields(inputs) {
  const text = (name) => inputs[name].value.trim();
  const goal = inputs.goal_amount.value.trim();
  return {
    title: text("title"),
    pitch: text("pitch"),
    story: inputs.story.value,
    category: text("category"),
    goal_amount: goal === "" ? null : Math.max(0, Math.round(Number(goal))),
    currency: inputs.currency.value,
    platform: text("platform"),
    campaign_start: inputs.campaign_start.value || null,
    campaign_end: inputs.campaign_end.value || null,
    link: text("link"),
  };
}

/** Put the translated field name into the error's params so the message names the field. */
function localiseField(error) {
  const field = error?.params?.field?.split(".").pop();
  if (!field) return error;
  return { ...error, params: { ...error.params, field: t(`project.field.${field}`) } };
}
