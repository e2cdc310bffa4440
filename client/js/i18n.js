// French/English catalogue: every UI string goes through t(); each capability adds its own catalogue.

import core from "./i18n/core.js";

const catalogues = [core];
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

/** Translate `key`, filling {name} placeholders from params; falls back to English, then the key. */
export function t(key, params = {}) {
  let text;
  for (const lang of [language, "en"]) {
    for (let i = catalogues.length - 1; i >= 0 && text === undefined; i--) text = catalogues[i][lang]?.[key];
    if (text !== undefined) break;
  }
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] ?? `{${name}}`));
}

/** The message for an error ack {code, message, params}, in the person's language. */
export function errorText(error) {
  if (!error) return t("error.unknown");
  const key = `error.${error.code}`;
  const text = t(key, error.params || {});
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
