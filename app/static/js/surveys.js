// Progressive enhancement for surveys (everything works without it):
// hide conditional questions until their condition holds; drag to reorder questions.
(function () {
  "use strict";
  function answerOf(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : null;
  }
  document.querySelectorAll("form.survey-form").forEach(function (form) {
    var conditional = form.querySelectorAll("[data-condition-question]");
    function update() {
      conditional.forEach(function (block) {
        var value = answerOf(form, block.getAttribute("data-condition-question"));
        block.hidden = value !== block.getAttribute("data-condition-value");
      });
    }
    if (conditional.length) {
      form.addEventListener("change", update);
      update();
    }
  });
  var list = document.getElementById("survey-questions");
  if (!list) { return; }
  var dragged = null;
  list.querySelectorAll("li[data-question-id]").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function () { dragged = item; });
    item.addEventListener("dragover", function (event) { event.preventDefault(); });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === item) { return; }
      list.insertBefore(dragged, item);
      var order = Array.prototype.map.call(
        list.querySelectorAll("li[data-question-id]"),
        function (li) { return li.getAttribute("data-question-id"); }
      ).join(",");
      var body = new URLSearchParams({ order: order, csrf_token: list.getAttribute("data-csrf") });
      fetch(list.getAttribute("data-reorder-url"), { method: "POST", body: body, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    });
  });
})();
