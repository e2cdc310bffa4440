// Runs the client's pure functions in Node for the Python tests (tests/support/client_js.py).
// stdin: {"preload": [modules], "module": "state/votes.js", "calls": [{"fn": "name", "args": [...]}]},
// paths relative to client/js; in arguments {"$map": [[key, value], ...]} is a Map and {"$set": [...]} a Set.
// stdout: one answer per call, {"value": ...} or {"error": message}; Maps come back as objects, Sets as lists.
// A call with "fn": null answers the module's exports that are not functions (its constants).

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const CLIENT_JS = resolve(dirname(fileURLToPath(import.meta.url)), "../../client/js");
const load = (path) => import(pathToFileURL(resolve(CLIENT_JS, path)).href);

const revive = (key, v) => (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1
  ? ("$map" in v ? new Map(v.$map) : "$set" in v ? new Set(v.$set) : v) : v);
const input = JSON.parse(readFileSync(0, "utf8"), revive);
for (const path of input.preload || []) await load(path);
const module = await load(input.module);

const plain = (value) => JSON.parse(JSON.stringify(value, (key, v) => (v instanceof Map ? Object.fromEntries(v)
  : v instanceof Set ? [...v] : v)));
const answers = (input.calls || []).map(({ fn, args = [] }) => {
  try {
    if (fn === null) return { value: plain(Object.fromEntries(Object.entries(module).filter(([, v]) => typeof v !== "function"))) };
    return { value: plain(module[fn](...args)) };
  } catch (error) {
    return { error: String(error?.message || error) };
  }
});
process.stdout.write(JSON.stringify(answers));
