// Progressive enhancement of <select multiple data-language-picker>: a filter box (a combobox
// whose list shows the matching languages) and one chip per chosen language. The select stays in
// the form, hidden, and keeps the choice, so the server reads the same field with or without this
// script; without it the plain multi-select works as before.
// Keyboard: type to filter, Down/Up move through the matches, Enter picks or drops the active one,
// Escape clears the filter; each chip's button removes its language.
(function () {
  "use strict";
  var MAX_SHOWN = 12;
  var counter = 0;

  function enhance(select) {
    var base = select.id || ("language-picker-" + (++counter));
    var label = document.querySelector("label[for='" + base + "']");
    var wrap = document.createElement("div");
    wrap.className = "picker";
    // The list of matches floats over the fields below it: closing it on blur must not move the
    // field a person is clicking on.
    wrap.style.position = "relative";

    var chips = document.createElement("ul");
    chips.className = "picker__chips";
    chips.setAttribute("aria-label", select.getAttribute("data-chosen-label") || "Chosen");
    chips.style.cssText = "list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.4rem";

    var input = document.createElement("input");
    input.type = "text";
    input.id = base + "-filter";
    input.className = "input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-matches");
    input.placeholder = select.getAttribute("data-filter-label") || "Type to filter";
    var described = select.getAttribute("aria-describedby");
    if (described) { input.setAttribute("aria-describedby", described); }

    var list = document.createElement("ul");
    list.id = base + "-matches";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    if (label) { list.setAttribute("aria-label", label.textContent.trim()); }
    list.style.cssText = "position:absolute;left:0;right:0;z-index:20;background:var(--c-surface,#fff);list-style:none;padding:0;margin:.25rem 0 0;max-height:16rem;overflow-y:auto;border:1px solid var(--c-input-border,#888);border-radius:4px";
    list.hidden = true;

    var status = document.createElement("p");
    status.className = "hint";
    status.setAttribute("aria-live", "polite");

    var active = -1;
    var shown = [];

    function optionsMatching(text) {
      var q = text.trim().toLowerCase();
      if (!q) { return []; }
      var out = [];
      for (var i = 0; i < select.options.length && out.length < MAX_SHOWN; i++) {
        var o = select.options[i];
        if (o.value && o.text.toLowerCase().indexOf(q) !== -1) { out.push(o); }
      }
      return out;
    }

    function changed() {
      // Scripts that watch the form (live filtering of the list of needs) see the new choice.
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function renderChips() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.selected || !o.value) { return; }
        var li = document.createElement("li");
        li.className = "badge";
        li.appendChild(document.createTextNode(o.text + " "));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn btn--small btn--secondary";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (select.getAttribute("data-remove-label") || "Remove %s").replace("%s", o.text));
        remove.addEventListener("click", function () {
          o.selected = false;
          changed();
          renderChips();
          renderList();
          input.focus();
        });
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function renderList() {
      shown = optionsMatching(input.value);
      list.textContent = "";
      if (active >= shown.length) { active = shown.length - 1; }
      shown.forEach(function (o, i) {
        var li = document.createElement("li");
        li.id = base + "-match-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", o.selected ? "true" : "false");
        li.textContent = (o.selected ? "✓ " : "") + o.text;
        li.style.cssText = "padding:.35rem .6rem;cursor:pointer" + (i === active ? ";background:var(--c-info-bg,#e8f0fe);outline:2px solid var(--c-brand,#1a5);outline-offset:-2px" : "");
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { active = i; toggle(); });
        list.appendChild(li);
      });
      var open = shown.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (open && active >= 0) {
        input.setAttribute("aria-activedescendant", base + "-match-" + active);
        var el = document.getElementById(base + "-match-" + active);
        if (el && el.scrollIntoView) { el.scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
      status.textContent = input.value.trim() && !open ? (select.getAttribute("data-none-label") || "No match.") : "";
    }

    function toggle() {
      var o = shown[active];
      if (!o) { return; }
      o.selected = !o.selected;
      status.textContent = o.text + (o.selected ? " ✓" : " ✗");
      changed();
      renderChips();
      renderList();
    }

    input.addEventListener("input", function () { active = -1; renderList(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (shown.length) { active = Math.min(active + 1, shown.length - 1); renderList(); }
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (shown.length) { active = Math.max(active - 1, 0); renderList(); }
      } else if (e.key === "Enter") {
        // Enter picks a language instead of submitting the whole form.
        if (!list.hidden) {
          e.preventDefault();
          if (active < 0) { active = 0; }
          toggle();
        }
      } else if (e.key === "Escape") {
        input.value = "";
        active = -1;
        renderList();
      }
    });
    input.addEventListener("blur", function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); });
    input.addEventListener("focus", function () { renderList(); });

    select.hidden = true;
    select.style.display = "none";
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(chips);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    wrap.appendChild(select);
    // The visible label now names the filter box; the hidden select keeps the submitted values.
    if (label) { label.htmlFor = input.id; }
    renderChips();
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("select[multiple][data-language-picker]"), enhance
  );
})();
