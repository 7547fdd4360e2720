// Material fetches the whole search index (about 400 kB compressed) on every first page view.
// The request is held back until the search field is opened or focused, so it never competes
// with the page on a weak signal. The offline copy (sw.js) stores the index too, but only after
// the page has loaded; browsers without a service worker fetch it only when the reader searches.
// Must run before Material's bundle.
(function () {
  "use strict";
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = false;

  XMLHttpRequest.prototype.open = function (method, url) {
    this.mkSearchIndex = /\/search\/search_index\.json$/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.mkSearchIndex && !wanted) {
      held.push([this, arguments]);
      return;
    }
    return send.apply(this, arguments);
  };

  function release() {
    wanted = true;
    held.splice(0).forEach(function (request) { send.apply(request[0], request[1]); });
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("form[name=search]")) { release(); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) { release(); }
  });
})();
