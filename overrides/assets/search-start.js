// The empty search panel offers example queries and the three doors (Začínám, Pro školitele,
// Pro obce) instead of a bare „Inicializace vyhledávání“. The panel comes from a <template> in
// every page (partials/search-start.html) and sits in Material's result panel only while the
// query is empty: there the arrow keys reach its links as they reach results, and once a query
// is typed its links must not stand in the way of the results.
(function () {
  "use strict";

  function mount() {
    var template = document.getElementById("mk-search-start");
    var result = document.querySelector("[data-md-component=search-result]");
    var list = result && result.querySelector(".md-search-result__list");
    var input = document.querySelector("input[data-md-component=search-query]");
    if (!template || !list || !input) { return; }
    var panel = template.content.firstElementChild.cloneNode(true);

    function sync() {
      if (!input.value && !panel.isConnected) {
        // Material finds its status line as the first child and the result list as the last.
        result.insertBefore(panel, list);
      } else if (input.value && panel.isConnected) {
        panel.remove();
      }
    }

    panel.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-mk-query]");
      if (!link) { return; }
      // Material closes the search on any click on a link in its panel: keep it open here.
      event.preventDefault();
      event.stopPropagation();
      input.value = link.dataset.mkQuery;
      input.focus();
      input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));  // Material's trigger
    });
    // Enter in an empty query would make Material follow „the best result“ among these links.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !input.value) {
        event.preventDefault();
        event.stopPropagation();
      }
    });
    ["input", "keyup"].forEach(function (type) { input.addEventListener(type, sync); });
    if (input.form) {
      input.form.addEventListener("reset", function () { setTimeout(sync); });
    }
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mount);
  } else {
    mount();
  }
})();
