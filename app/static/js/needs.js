// Progressive enhancement only: skill inputs suggest names from the shared vocabulary, skills of
// open needs and (signed in) members' skills; on the need form the stored spelling is announced.
// Without this script the forms still work: the server stores the canonical spelling anyway.
(function () {
  "use strict";
  var list = document.getElementById("skill-suggestions");
  var note = document.getElementById("skill-canonical");
  if (!list || !window.fetch) { return; }
  var timer = null;
  function fill(names) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  }
  function announce(text, canonical) {
    if (!note) { return; }
    note.textContent = canonical && canonical !== text.toLowerCase()
      ? (note.getAttribute("data-template") || "Will be saved as “%s”.").replace("%s", canonical)
      : "";
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    var url = input.getAttribute && input.getAttribute("data-suggest-url");
    if (!url) { return; }
    // The browse filter takes comma-separated skills: suggest for the last one.
    var text = input.value.split(",").pop().trim();
    if (timer) { clearTimeout(timer); }
    if (text.length < 2) { announce("", ""); return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          fill(data.suggestions || []);
          announce(text, data.canonical || "");
        })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
})();
