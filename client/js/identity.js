// Identity lives on the device: one token per board (participant) or the facilitator/projector secret.

const key = (code, role) => `snowball:${code}:${role}`;

/** The stored identity for this board and role, or null. */
export function loadIdentity(code, role) {
  try {
    return JSON.parse(localStorage.getItem(key(code, role)) || "null");
  } catch {
    return null;
  }
}

/** Keep an identity ({token, participant?, rejoin_code?}) on this device. */
export function saveIdentity(code, role, identity) {
  localStorage.setItem(key(code, role), JSON.stringify(identity));
}

/** Forget an identity (the server no longer knows it). */
export function forgetIdentity(code, role) {
  localStorage.removeItem(key(code, role));
}

/** A fresh op_id (UUID) for a command. */
export function newOpId() {
  if (crypto.randomUUID) return crypto.randomUUID().replaceAll("-", "");
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
