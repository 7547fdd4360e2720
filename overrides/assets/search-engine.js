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
})();
