// The small HTTP API: create a board, read its public facts, join, rejoin.

async function call(method, path, body, notFound = null) {
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
export const boardInfo = (code) => call("GET", `/api/boards/${encodeURIComponent(code)}`, undefined, "board_not_found");
export const joinBoard = (code, name, opId) =>
  call("POST", `/api/boards/${encodeURIComponent(code)}/join`, { name, op_id: opId }, "board_not_found");
export const rejoinBoard = (code, rejoinCode) =>
  call("POST", `/api/boards/${encodeURIComponent(code)}/rejoin`, { rejoin_code: rejoinCode });
