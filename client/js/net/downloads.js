// Downloads of exports: fetched with the board token in an Authorization header (never in the URL),
// then saved from a blob with the file name the server gives.

/** The file name of a Content-Disposition header, or `fallback`. */
function fileName(response, fallback) {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  return match ? match[1] : fallback;
}

/**
 * Download `/api/boards/<code>/exports/<file>` (with an optional query object) and save it.
 * Resolves with {ok: true, name} or {ok: false, error: {code, message, params}}.
 */
export async function downloadExport(code, token, file, query = {}) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== false));
  const search = params.toString() ? `?${params}` : "";
  let response;
  try {
    response = await fetch(`/api/boards/${encodeURIComponent(code)}/exports/${encodeURIComponent(file)}${search}`, {
      headers: { Authorization: `Bearer ${token}` },
      cache: "no-store",
    });
  } catch {
    return { ok: false, error: { code: "network", message: "network error" } };
  }
  if (!response.ok) {
    try {
      const body = await response.json();
      return { ok: false, error: body.error || { code: "server_error", message: `HTTP ${response.status}` } };
    } catch {
      return { ok: false, error: { code: "server_error", message: `HTTP ${response.status}` } };
    }
  }
  const blob = await response.blob();
  const name = fileName(response, file);
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Let the browser start the save before the blob URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return { ok: true, name };
}
