// Material's search box and result list stay; our worker (javascripts/search-worker.js) answers
// them with Pagefind instead of Material's worker, which would load one index of the whole site.
// The theme reads its settings from #__config when its bundle starts: this runs just before.
(function () {
  "use strict";
  var element = document.getElementById("__config");
  if (!element) { return; }
  var config = JSON.parse(element.textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), document.baseURI);
  config.search = new URL("assets/javascripts/search-worker.js", root).href;
  // A query shows the best sections, not every page that holds a word: say so.
  config.translations["search.result.other"] = "Nejlépe odpovídající stránky: #";
  element.textContent = JSON.stringify(config);

  // Material searches on key-up only: text pasted, dictated or filled in by the phone's keyboard
  // suggestions comes without one. Every change of the field asks the same way.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.matches && field.matches("input[data-md-component=search-query]")) {
      field.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  });
})();
