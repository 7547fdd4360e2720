// Progressive enhancement for checklists (ticks kept in this browser) and decision trees (stepper).
(function () {
  "use strict";

  function storageKey(list) {
    return "metodiky:" + list.dataset.checklist + ":" + list.dataset.version;
  }

  function setUpChecklist(list) {
    var boxes = list.querySelectorAll("input[type=checkbox]");
    var saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(storageKey(list)) || "{}");
    } catch (error) {
      saved = {};
    }
    boxes.forEach(function (box) {
      box.checked = Boolean(saved[box.dataset.item]);
      box.addEventListener("change", function () {
        var state = {};
        boxes.forEach(function (b) { if (b.checked) { state[b.dataset.item] = true; } });
        localStorage.setItem(storageKey(list), JSON.stringify(state));
      });
    });
    var actions = list.querySelector(".mk-tool__actions");
    if (!actions) { return; }
    actions.hidden = false;
    actions.querySelector("[data-action=clear]").addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      localStorage.removeItem(storageKey(list));
    });
    actions.querySelector("[data-action=print]").addEventListener("click", function () {
      window.print();
    });
  }

  function initialise() {
    document.querySelectorAll(".mk-checklist").forEach(setUpChecklist);
  }

  if (window.document$) {
    window.document$.subscribe(initialise);
  } else {
    document.addEventListener("DOMContentLoaded", initialise);
  }
})();
