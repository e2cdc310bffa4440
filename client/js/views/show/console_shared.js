// Small helpers shared by the run-of-show views: sending with a visible error, ticking clocks.

import { toast } from "../../dom.js";
import { errorText, formatTime } from "../../i18n.js";

/** Send a command; an error ack becomes a toast in the person's language. Resolves with the ack. */
export async function sendOrToast(ctx, type, payload) {
  const ack = await ctx.socket.send(type, payload);
  if (!ack.ok) toast(errorText(ack.error), "error");
  return ack;
}

/** Run `tick` every `ms` while `el` is on the page; stops by itself once the view is gone. */
export function tickWhileMounted(el, ms, tick) {
  let seen = false;
  const id = setInterval(() => {
    if (el.isConnected) seen = true;
    else if (seen) return clearInterval(id);
    tick();
  }, ms);
  tick();
  return () => clearInterval(id);
}

/** Local time of an ISO time in the person's language ("5:05 PM" / "17:05"). */
export function clockTime(iso) {
  if (!iso) return "";
  return formatTime(iso);
}
