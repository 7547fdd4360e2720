// The empty search panel offers example queries and the three doors (Začínám, Pro školitele,
// Pro obce) instead of a bare „Inicializace vyhledávání“. The panel comes from a <template> in
// every page (partials/search-start.html); CSS hides it as soon as a query is typed.
(function () {
  "use strict";

  function typeQuery(input, query) {
    input.value = query;
    input.focus();
    // Material searches on key-up.
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  function mount() {
    var template = document.getElementById("mk-search-start");
    var result = document.querySelector("[data-md-component=search-result]");
    var list = result && result.querySelector(".md-search-result__list");
    var input = document.querySelector("input[data-md-component=search-query]");
    if (!template || !list || !input) { return; }
    var panel = template.content.firstElementChild.cloneNode(true);
    // Material finds its status line as the first child and the result list as the last one.
    result.insertBefore(panel, list);
    panel.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-mk-query]");
      if (!link) { return; }
      // Material closes the search on any click on a link in its panel: keep it open here.
      event.preventDefault();
      event.stopPropagation();
      typeQuery(input, link.dataset.mkQuery);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
