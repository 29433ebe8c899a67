// "Reading your CV…": poll the status and move on as soon as the worker is done. Without
// JavaScript the page's <noscript><meta http-equiv="refresh"></noscript> reloads it instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-cv-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-cv-status-url");
  var delay = 1000;
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.status !== "queued") { window.location.assign(data.url); return; }
        delay = Math.min(delay * 1.5, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () { window.location.reload(); });
  }
  window.setTimeout(poll, delay);
})();
