// Measures one page as laid out on a phone: horizontal overflow, undersized tap targets and text
// smaller than the theme's body size. Runs in the page; returns plain data for the tests.
() => {
  "use strict";
  const TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button], [tabindex='0']";
  const MIN_TARGET = 24;
  const MIN_TEXT = 16;

  function shown(el) {
    const box = el.getBoundingClientRect();
    return el.checkVisibility({ visibilityProperty: true }) && box.width > 1 && box.height > 1 &&
      box.right > 0 && box.left < innerWidth;
  }

  function describe(el) {
    const text = (el.getAttribute("aria-label") || el.textContent || el.outerHTML).trim();
    return el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
      " „" + text.replace(/\s+/g, " ").slice(0, 40) + "“";
  }

  // WCAG 2.5.8 inline exception: a link inside a sentence is sized by the text around it.
  function inSentence(el) {
    if (getComputedStyle(el).display !== "inline") { return false; }
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") { block = block.parentElement; }
    return block !== null && block.textContent.trim().length > el.textContent.trim().length;
  }

  function smallTargets(root) {
    const found = [];
    root.querySelectorAll(TARGETS).forEach((el) => {
      if (!shown(el) || inSentence(el)) { return; }
      const box = el.getBoundingClientRect();
      if (box.width < MIN_TARGET || box.height < MIN_TARGET) {
        found.push(describe(el) + " " + Math.round(box.width) + "×" + Math.round(box.height) + " px");
      }
    });
    return found;
  }

  function smallText(root) {
    const found = new Set();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      // Code samples (also the embed snippets to copy) and diagram labels are not running text.
      if (!walker.currentNode.textContent.trim() || el.closest("code, pre, kbd, samp, svg, textarea") || !shown(el)) { continue; }
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < MIN_TEXT) { found.add(size + " px: " + describe(el)); }
    }
    return Array.from(found);
  }

  const page = document.documentElement;
  const result = {
    overflow: page.scrollWidth > page.clientWidth ? page.scrollWidth + " px wide in a " + page.clientWidth + " px screen" : null,
    targets: smallTargets(document.body),
    text: smallText(document.querySelector("article") || document.body),
  };
  const drawer = document.getElementById("__drawer");
  if (drawer) {
    drawer.checked = true;
    result.targets = result.targets.concat(smallTargets(document.querySelector(".md-sidebar--primary")).map((t) => "menu: " + t));
    drawer.checked = false;
  }
  return result;
}
