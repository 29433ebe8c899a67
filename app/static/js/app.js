// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce what needs fixing.
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  // Confirm destructive actions marked with data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // The phone's folded menu and filters (details.menu, details.fold) are kept open on wider screens
  // by app.css where the browser can style ::details-content; older browsers get them opened here.
  var supportsFold = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!supportsFold && window.matchMedia && window.matchMedia("(min-width: 40.0625rem)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("details.menu, details.fold"), function (d) {
      d.open = true;
    });
  }
  // Escape closes the opened phone menu and gives focus back to its button.
  document.addEventListener("keydown", function (event) {
    var menu = document.querySelector("details.menu[open]");
    if (event.key === "Escape" && menu && menu.contains(document.activeElement)) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  // A page still being prepared (data-poll="<seconds>") checks in the background and reloads only
  // once the server's answer is ready, instead of a <meta refresh> that reloads under the reader
  // every few seconds (WCAG 2.2.1). Without JavaScript its "Refresh now" link does the same.
  var pending = document.querySelector("[data-poll]");
  if (pending && window.fetch) {
    var every = Math.max(5, parseInt(pending.getAttribute("data-poll"), 10) || 15) * 1000;
    var poll = function () {
      window.setTimeout(function () {
        window.fetch(window.location.href, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : ""; })
          .then(function (html) {
            if (html && html.indexOf("data-poll=") === -1) { window.location.reload(); } else { poll(); }
          })
          .catch(poll);
      }, every);
    };
    poll();
  }
})();
