// Embedded views: links leave the frame, and the content's height is reported to the host page,
// so its iframe fits the content: it grows and shrinks as the reader steps through a tree.
(function () {
  "use strict";
  document.querySelectorAll("a[href]").forEach(function (link) {
    if (link.getAttribute("href").charAt(0) !== "#") {
      link.target = "_blank";
      link.rel = "noopener";
    }
  });
  // The body's own box, not documentElement.scrollHeight: that is never smaller than the frame
  // itself, so a frame sized by it could grow but never shrink.
  function contentHeight() {
    var style = getComputedStyle(document.body);
    return Math.ceil(document.body.getBoundingClientRect().height +
      parseFloat(style.marginTop) + parseFloat(style.marginBottom));
  }
  function reportHeight() {
    if (window.parent !== window) {
      window.parent.postMessage({ metodikyVyska: contentHeight() }, "*");
    }
  }
  window.addEventListener("load", reportHeight);
  window.addEventListener("hashchange", reportHeight);
  // Every change of the content's size: the stepper folding the tree into one step, each step,
  // the diagram opened or closed, a narrower frame wrapping the text.
  if ("ResizeObserver" in window) { new ResizeObserver(reportHeight).observe(document.body); }
})();
