// Embedded views: links leave the frame, and the frame's height is reported to the host page.
(function () {
  "use strict";
  document.querySelectorAll("a[href]").forEach(function (link) {
    if (link.getAttribute("href").charAt(0) !== "#") {
      link.target = "_blank";
      link.rel = "noopener";
    }
  });
  function reportHeight() {
    if (window.parent !== window) {
      window.parent.postMessage({ metodikyVyska: document.documentElement.scrollHeight }, "*");
    }
  }
  window.addEventListener("load", reportHeight);
  window.addEventListener("hashchange", reportHeight);
  if ("ResizeObserver" in window) { new ResizeObserver(reportHeight).observe(document.body); }
})();
