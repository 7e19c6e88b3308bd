// wearkit: what every page's script shares (no build step; CSP allows only these files).
"use strict";
window.wk = (function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const notice = document.getElementById("notice");
  let noticeTimer = null;

  function notify(message, ok) {
    if (!notice) return;
    notice.textContent = message;
    notice.classList.toggle("ok", Boolean(ok));
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(function () { notice.hidden = true; }, ok ? 4000 : 9000);
  }

  // A JSON request; rejects with the server's message (which names the field).
  async function api(method, url, body) {
    const options = { method: method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const message = data && data.error ? data.error : "the server answered " + response.status;
      const error = new Error(message);
      error.field = data ? data.field : null;
      throw error;
    }
    return data;
  }

  // Follow the event stream: handlers.snapshot(boards), handlers.event(data).
  function follow(url, handlers) {
    const source = new EventSource(url);
    source.addEventListener("snapshot", function (e) { handlers.snapshot(JSON.parse(e.data).boards); });
    source.onmessage = function (e) { handlers.event(JSON.parse(e.data)); };
    source.onerror = function () { if (handlers.trouble) handlers.trouble(); };
    source.onopen = function () { if (handlers.open) handlers.open(); };
    window.addEventListener("pagehide", function () { source.close(); });
    return source;
  }

  function say(id, message) {
    const el = document.getElementById(id);
    if (el) el.textContent = message;
  }

  return { api: api, follow: follow, notify: notify, say: say, csrf: csrf };
})();
