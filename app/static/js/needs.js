// Progressive enhancement only: skill inputs suggest names from the shared vocabulary.
(function () {
  "use strict";
  var list = document.getElementById("skill-suggestions");
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
  document.addEventListener("input", function (event) {
    var input = event.target;
    var url = input.getAttribute && input.getAttribute("data-suggest-url");
    if (!url) { return; }
    // The browse filter takes comma-separated skills: suggest for the last one.
    var text = input.value.split(",").pop().trim();
    if (timer) { clearTimeout(timer); }
    if (text.length < 2) { return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { fill(data.suggestions || []); })
        .catch(function () { /* suggestions are optional */ });
    }, 200);
  });
})();
