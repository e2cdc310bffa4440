// The small HTTP API: create a board, read its public facts, join, rejoin.

// A lookup or a join answered 429/503 is tried again after its `retry_after`, as often as it takes:
// a room's address locked out for a minute (or Redis away) must end in the board, never in a dead form.
const RETRY_CODES = ["rate_limited", "unavailable"];
const MAX_WAIT_S = 3600; // the longest window a limit has (an hour); a longer retry_after is not believed

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait `seconds` (plus up to a second, so a room does not come back in one wave), telling `onWait` each second left. */
async function countDown(seconds, onWait) {
  const until = Date.now() + seconds * 1000 + Math.random() * 1000;
  for (let left = seconds; left > 0; left--) {
    onWait?.(left);
    await wait(Math.min(1000, Math.max(0, until - Date.now())));
  }
  await wait(Math.max(0, until - Date.now()));
  onWait?.(0);
}

/**
 * One request; with `retry` (safe to repeat: a lookup, a join carrying its op_id), a `rate_limited`
 * or `unavailable` answer is tried again after its `retry_after` until it is answered otherwise;
 * `onWait(secondsLeft)` shows the countdown (0: trying now). `notFound`: the error code of a 404
 * that is not the API's JSON.
 */
async function call(method, path, body, { notFound = null, retry = false, onWait = null } = {}) {
  for (;;) {
    const answer = await once(method, path, body, notFound);
    if (!retry || !RETRY_CODES.includes(answer?.error?.code)) return answer;
    const seconds = Math.min(Math.max(Math.ceil(Number(answer.error.params?.retry_after) || 2), 1), MAX_WAIT_S);
    await countDown(seconds, onWait);
  }
}

async function once(method, path, body, notFound) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    return { ok: false, error: { code: "network", message: "network error" } };
  }
  try {
    return await response.json();
  } catch {
    // Not the API's JSON: an address the API does not have (a code with "/" in it) or a proxy's page.
    if (response.status === 404 && notFound) return { ok: false, error: { code: notFound, message: "not found" } };
    return { ok: false, error: { code: "server_error", message: `HTTP ${response.status}` } };
  }
}

export const createBoard = (title, language, startsAt) =>
  call("POST", "/api/boards", { title, language, starts_at: startsAt || null });
export const boardInfo = (code, onWait = null) =>
  call("GET", `/api/boards/${encodeURIComponent(code)}`, undefined, { notFound: "board_not_found", retry: true, onWait });
export const joinBoard = (code, name, opId, onWait = null) =>
  call("POST", `/api/boards/${encodeURIComponent(code)}/join`, { name, op_id: opId }, { notFound: "board_not_found", retry: true, onWait });
export const rejoinBoard = (code, rejoinCode) =>
  call("POST", `/api/boards/${encodeURIComponent(code)}/rejoin`, { rejoin_code: rejoinCode });
