// French/English catalogue: every UI string goes through t(); each capability adds its own catalogue.

import core from "./i18n/core.js";
import refusals from "./i18n/refusals.js";
import { h } from "./dom.js";

const catalogues = [core, refusals];
const LANG_KEY = "snowball:lang";
let language = "en";

/** Add a capability's catalogue: {en: {key: text}, fr: {key: text}}. */
export function addCatalogue(catalogue) {
  catalogues.push(catalogue);
}

/** The language in use: the person's own choice, else the board's, else the browser's. */
export function chooseLanguage(boardLanguage) {
  const own = localStorage.getItem(LANG_KEY);
  const browser = (navigator.language || "en").slice(0, 2);
  language = [own, boardLanguage, browser].find((l) => l === "fr" || l === "en") || "en";
  document.documentElement.lang = language;
  return language;
}

/** Remember a person's own language switch. */
export function setLanguage(lang) {
  localStorage.setItem(LANG_KEY, lang);
  language = lang;
  document.documentElement.lang = lang;
}

export function currentLanguage() {
  return language;
}

/**
 * Translate `key`, filling {name} placeholders from params; falls back to English, then the key.
 * A text that depends on a number is {one, other, …} (the forms Intl.PluralRules names for the language;
 * `by` names the number, `count` by default): "1 dot", "2 dots"; in French 0 and 1 are singular.
 */
export function t(key, params = {}) {
  let text;
  let lang;
  for (lang of [language, "en"]) {
    for (let i = catalogues.length - 1; i >= 0 && text === undefined; i--) text = catalogues[i][lang]?.[key];
    if (text !== undefined) break;
  }
  if (text === undefined) return key;
  if (typeof text === "object") {
    const form = new Intl.PluralRules(lang).select(Number(params[text.by || "count"]) || 0);
    text = text[form] ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

/**
 * t() as nodes for an element's children: every text parameter (what people typed) in its own <bdi>, so a
 * right-to-left override or an unbalanced direction mark in it never reverses the words around it.
 */
export function tIsolated(key, params = {}) {
  const mark = "\u0000";
  const slots = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? `${mark}${k}${mark}` : v]));
  return t(key, slots).split(mark).map((part, i) => (i % 2 ? h("bdi", {}, params[part]) : part)).filter((part) => part !== "");
}

/**
 * t() as one string, for places that hold no elements (the page title, an <option>): every text parameter
 * between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, the <bdi> of plain text.
 */
export function tPlain(key, params = {}) {
  return t(key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? `\u2068${v}\u2069` : v])));
}

/** What a field is called on the screen, in the person's language (never its name in the protocol). */
function fieldLabel(field) {
  // "project_ids.2" is an item of a list: it is called what the list is called.
  const name = String(field).split(".").filter((part) => !/^\d+$/.test(part)).pop() || "";
  const key = `field.${name}`;
  const text = t(key);
  if (text !== key) return text;
  // Already put in words by the form that sent it ("Project title"), or a protocol name nobody should read.
  return /^[a-z_]+$/.test(name) ? t("field.unknown") : String(field);
}

/** The message for an error ack {code, message, params}, in the person's language. */
export function errorText(error) {
  if (!error) return t("error.unknown");
  const key = `error.${error.code}`;
  const params = { ...(error.params || {}) };
  if (params.field !== undefined) params.field = fieldLabel(params.field);
  const text = t(key, params);
  return text === key ? error.message || t("error.unknown") : text;
}

/** Format a number the local way. */
export function formatNumber(value) {
  return new Intl.NumberFormat(language).format(value);
}

/** Format an ISO date or date-time the local way. */
export function formatDate(iso, withTime = false) {
  if (!iso) return "";
  const options = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" };
  return new Intl.DateTimeFormat(language, options).format(new Date(iso));
}
