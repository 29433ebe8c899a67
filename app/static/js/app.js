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
})();
