// The small HTTP API: create a board, read its public facts, join, rejoin.

const RETRIES = 3; // a lookup or a join answered 429/503 with `retry_after` is tried again, this many times
const MAX_WAIT_S = 30;

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request; with `retry` (safe to repeat: a lookup, a join carrying its op_id), a `rate_limited`
 * or `unavailable` answer is tried again after its `retry_after` (plus up to a second, so a room does
 * not come back in one wave). `notFound`: the error code of a 404 that is not the API's JSON.
 */
async function call(method, path, body, { notFound = null, retry = false } = {}) {
  for (let attempt = 0; ; attempt++) {
    const answer = await once(method, path, body, notFound);
    const seconds = Number(answer?.error?.params?.retry_after);
    const again = retry && attempt < RETRIES && ["rate_limited", "unavailable"].includes(answer?.error?.code)
      && seconds > 0 && seconds <= MAX_WAIT_S;
    if (!again) return answer;
    await wait(seconds * 1000 + Math.random() * 1000);
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
export const boardInfo = (code) =>
  call("GET", `/api/boards/${encodeURIComponent(code)}`, undefined, { notFound: "board_not_found", retry: true });
export const joinBoard = (code, name, opId) =>
  call("POST", `/api/boards/${encodeURIComponent(code)}/join`, { name, op_id: opId }, { notFound: "board_not_found", retry: true });
export const rejoinBoard = (code, rejoinCode) =>
  call("POST", `/api/boards/${encodeURIComponent(code)}/rejoin`, { rejoin_code: rejoinCode });
