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

// Progressive enhancement for the location form: when the country changes, the time zone
// follows it (data-zones maps each country to its usual zone) unless the member typed their own.
// Without this script the server pre-fills the zone from the country and fills an empty one on save.
(function () {
  "use strict";
  var zone = document.querySelector("input[data-zones]");
  var country = document.getElementById("country");
  if (!zone || !country) { return; }
  var zones = {};
  try { zones = JSON.parse(zone.getAttribute("data-zones") || "{}"); } catch (e) { return; }
  var hint = document.getElementById(zone.id + "-hint");
  var template = zone.getAttribute("data-hint-template") || "";
  var suggested = zone.getAttribute("data-suggested") || "";
  country.addEventListener("change", function () {
    var next = zones[country.value] || "";
    var current = zone.value.trim();
    // Replace only an empty zone or the one we suggested for the previous country.
    if (next && (current === "" || current === suggested)) {
      zone.value = next;
    }
    suggested = next;
    if (hint && next && template) { hint.textContent = template.replace("%s", next); }
    var list = document.getElementById(zone.getAttribute("list") || "");
    if (list) {
      // The server listed the previous country's zones; offer the new country's usual one.
      list.innerHTML = "";
      if (next) { var option = document.createElement("option"); option.value = next; list.appendChild(option); }
    }
  });
})();
