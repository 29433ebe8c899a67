// Progressive enhancement: a GET filter form marked data-live-results="<id>" updates that results
// region in place. On each change (typing is debounced) the script fetches the same URL the form
// would submit to, swaps in the region from the answer, updates the address bar with
// history.replaceState and announces the new count in the form's polite live region
// (data-live-status="<id>"). Without this script the form submits and the page reloads as usual.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.history || !window.URLSearchParams) { return; }

  function query(form) {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (option) {
          if (option.value) { params.append(el.name, option.value); }
        });
        return;
      }
      // Empty filters mean "any": leave them out so the address stays readable.
      if (el.value.trim() !== "") { params.append(el.name, el.value); }
    });
    var text = params.toString();
    return form.getAttribute("action").split("?")[0] + (text ? "?" + text : "");
  }

  function enhance(form) {
    var region = document.getElementById(form.getAttribute("data-live-results"));
    var status = document.getElementById(form.getAttribute("data-live-status"));
    if (!region) { return; }
    var timer = null;
    var latest = 0;
    var shown = window.location.pathname + window.location.search;

    function refresh() {
      var url = query(form);
      if (url === shown) { return; }
      var ticket = ++latest;
      region.setAttribute("aria-busy", "true");
      window.fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (ticket !== latest) { return; }  // a newer request is on its way
          region.removeAttribute("aria-busy");
          if (html === null) { form.submit(); return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById(region.id);
          if (!fresh) { form.submit(); return; }
          region.innerHTML = fresh.innerHTML;
          shown = url;
          window.history.replaceState(null, "", url);
          // The language switcher returns to the page it was rendered on: keep the filters.
          Array.prototype.forEach.call(
            document.querySelectorAll('form.lang input[name="next"]'),
            function (input) { input.value = url; }
          );
          var count = region.querySelector("[data-live-count]");
          if (status && count) { status.textContent = count.textContent.trim(); }
        })
        .catch(function () {
          // The network failed: fall back to the plain form submit.
          if (ticket === latest) { region.removeAttribute("aria-busy"); form.submit(); }
        });
    }

    function later(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, delay);
    }

    form.addEventListener("input", function (event) {
      var type = event.target.type;
      later(type === "text" || type === "search" ? 350 : 150);
    });
    form.addEventListener("change", function () { later(150); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      refresh();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-live-results]"), enhance);
})();
