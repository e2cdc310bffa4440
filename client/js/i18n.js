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
  applyToDocument();
  return language;
}

// The page's own words outside the views (its lang, the skip link) follow the language in use.
function applyToDocument() {
  document.documentElement.lang = language;
  const skip = document.querySelector(".skip-link");
  if (skip) skip.textContent = t("skip.content");
}

/** Remember a person's own language switch. */
export function setLanguage(lang) {
  localStorage.setItem(LANG_KEY, lang);
  language = lang;
  applyToDocument();
}

export function currentLanguage() {
  return language;
}

/**
 * Translate `key`, filling {name} placeholders from params; falls back to English, then the key.
 * A text that depends on a number is {one, other, …} (the forms Intl.PluralRules names for the language;
 * `by` names the number, `count` by default): "1 dot", "2 dots"; in French 0 and 1 are singular.
 * Number parameters go through formatNumber(); pass a string for a number that must stay as typed.
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
  // Every number inside a sentence is written the language's way ("1,000" / "1 000"): one formatter.
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const value = params[name];
    if (typeof value === "number") return formatNumber(value);
    return value ?? `{${name}}`;
  });
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

/** A bound of an out_of_range error in the person's words: durations (sent in seconds) with their unit. */
function boundText(field, value) {
  const name = String(field ?? "").split(".").pop();
  // A phase's duration is typed in minutes; the timer's extension is counted in seconds.
  if (name === "duration_s" && value % 60 === 0) return t("unit.minutes", { count: value / 60, n: formatNumber(value / 60) });
  if (name === "duration_s" || name === "seconds") return t("unit.seconds", { count: value, n: formatNumber(value) });
  return formatNumber(value);
}

/** out_of_range says the bounds the server sent (minimum, maximum, or both), else that the number is out of range. */
function outOfRangeKey(params) {
  const low = typeof params.minimum === "number";
  const high = typeof params.maximum === "number";
  if (low && high) return "error.out_of_range.between";
  if (low) return "error.out_of_range.minimum";
  return high ? "error.out_of_range.maximum" : "error.out_of_range";
}

/** The message for an error ack {code, message, params}, in the person's language. */
export function errorText(error) {
  if (!error) return t("error.unknown");
  let key = `error.${error.code}`;
  const params = { ...(error.params || {}) };
  if (error.code === "out_of_range") {
    key = outOfRangeKey(params);
    for (const bound of ["minimum", "maximum"]) if (typeof params[bound] === "number") params[bound] = boundText(params.field, params[bound]);
    if (params.field === undefined) params.field = t("field.unknown");
  }
  if (params.field !== undefined) params.field = fieldLabel(params.field);
  const text = t(key, params);
  return text === key ? error.message || t("error.unknown") : text;
}

// The one client formatter (Intl, CLDR): the same styles as the server's Babel formatter
// (server/domain/locale_format.py), so cards, drafts and exports agree in each language.

/** A number in the person's language: "50,000" / "50 000". */
export function formatNumber(value) {
  if (value === null || value === undefined || value === "") return "";
  return new Intl.NumberFormat(language).format(value);
}

/** A share in percent, 45 → "45%" / "45 %" (the language's spacing, as Babel's format_percent). */
export function formatPercent(value) {
  if (value === null || value === undefined || value === "") return "";
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(Number(value) / 100);
}

/** A whole amount of money: "€8,000" / "8 000 €". */
export function formatAmount(value, currency) {
  if (value === null || value === undefined || value === "") return "";
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${formatNumber(value)} ${currency || ""}`.trim(); // an unknown currency code: the number and the code
  }
}

// A bare "2026-07-01" is a calendar day, not UTC midnight (which is the day before west of Greenwich).
function asDate(iso) {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(iso);
}

/** An ISO date (long: "July 1, 2026" / "1 juillet 2026") or date-time (with the local time). */
export function formatDate(iso, withTime = false) {
  if (!iso) return "";
  const moment = asDate(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  const options = withTime ? { dateStyle: "long", timeStyle: "short" } : { dateStyle: "long" };
  return new Intl.DateTimeFormat(language, options).format(moment);
}

/** The local time of day of an ISO date-time, short: "5:02 PM" / "17:02". */
export function formatTime(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(language, { timeStyle: "short" }).format(new Date(iso));
}
