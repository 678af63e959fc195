// Header search box: an ARIA 1.2 combobox whose listbox htmx fills with suggestions.
// No inline script (strict CSP). Without JavaScript the box is a plain GET form to /search/.
(function () {
  "use strict";

  function setup(input) {
    var popup = document.getElementById(input.getAttribute("data-search-popup"));
    if (!popup) { return; }
    var active = -1;

    function options() { return popup.querySelectorAll("[role='option']"); }

    function select(index) {
      var items = options();
      items.forEach(function (item, i) {
        var on = i === index;
        item.setAttribute("aria-selected", on ? "true" : "false");
        item.classList.toggle("active", on);
      });
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function sync() {
      input.setAttribute("aria-expanded", options().length ? "true" : "false");
      select(-1);
    }

    function close() {
      popup.innerHTML = "";
      sync();
    }

    function go(item) {
      var url = item && item.getAttribute("data-url");
      if (url) { window.location.assign(url); }
    }

    input.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        select(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        select(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        go(items[active]);
      } else if (event.key === "Escape" && items.length) {
        event.preventDefault();
        close();
      }
    });
    // Keep the focus in the box while a suggestion is clicked.
    popup.addEventListener("mousedown", function (event) { event.preventDefault(); });
    popup.addEventListener("click", function (event) {
      go(event.target.closest("[role='option']"));
    });
    input.addEventListener("blur", close);
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target === popup) { sync(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-search-popup]").forEach(setup);
  });
})();
