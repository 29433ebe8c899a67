// Progressive enhancement for the skills form: live suggestions from
// GET /profile/skills/suggest?q= fill the <datalist>, and the canonical spelling is announced.
// Without this script the form still works: the server stores the canonical form and says so.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  var list = document.getElementById("skill-suggestions");
  var note = document.getElementById("skill-canonical");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var lastQuery = "";
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < 2) { list.innerHTML = ""; if (note) { note.textContent = ""; } return; }
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query);
      window.fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          list.innerHTML = "";
          data.suggestions.forEach(function (name) {
            var option = document.createElement("option");
            option.value = name;
            list.appendChild(option);
          });
          if (note) {
            var canonical = data.canonical || "";
            note.textContent = canonical && canonical !== query.toLowerCase()
              ? (note.getAttribute("data-template") || "Will be saved as “%s”.").replace("%s", canonical)
              : "";
          }
        })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
})();
