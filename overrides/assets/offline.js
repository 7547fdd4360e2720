// Registers the service worker (sw.js at the site root) that keeps the site readable offline.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || location.protocol.indexOf("http") !== 0) { return; }
  var worker = new URL("../sw.js", document.currentScript.src);
  // After "load", so the first visit's own page and assets come first on a weak signal.
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker);
  });
})();
