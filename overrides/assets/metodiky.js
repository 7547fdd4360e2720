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

  // --- Steps inside a frame (embed views on other sites) ---
  // A step replaces the frame's address instead of adding a history entry, so the host page's
  // Back button leaves the page rather than walking back through the tree.
  var inFrame = window.parent !== window;

  function goToStep(hash) {
    if (!inFrame) { location.hash = hash; return; }
    history.replaceState(null, "", "#" + hash);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }

  function keepStepsOutOfHistory(event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || !event.target.closest) { return; }
    var link = event.target.closest('.mk-tree a[href^="#"]');
    if (!link) { return; }
    event.preventDefault();
    goToStep(link.getAttribute("href").slice(1));
  }

  if (inFrame) { document.addEventListener("click", keepStepsOutOfHistory); }
  // --- end of steps inside a frame ---

  // Decision trees: one step at a time, each step addressable as #<tree>--<node>.
  function setUpTree(section) {
    var treeId = section.dataset.tree;
    var steps = Array.prototype.slice.call(section.querySelectorAll(".mk-tree__steps > li"));
    if (!steps.length) { return; }
    var byNode = {};
    steps.forEach(function (step) {
      byNode[step.dataset.node] = step;
      step.setAttribute("tabindex", "-1");
    });
    var start = steps[0].dataset.node;
    var trail = [];

    var controls = document.createElement("div");
    controls.className = "mk-tree__controls";
    controls.innerHTML =
      '<nav class="mk-tree__path" aria-label="Dosavadní cesta stromem"><ol></ol></nav>' +
      '<p class="mk-tree__buttons">' +
      '<button type="button" class="md-button" data-action="back">Zpět</button> ' +
      '<button type="button" class="md-button" data-action="restart">Začít znovu</button></p>' +
      '<p class="mk-tree__status" aria-live="polite"></p>';
    section.insertBefore(controls, section.querySelector(".mk-tree__steps"));
    section.classList.add("mk-tree--stepper");

    function successors(node) {
      return Array.prototype.map.call(
        byNode[node].querySelectorAll("a[data-next]"), function (a) { return a.dataset.next; });
    }

    function shortestTrail(target) {
      var previous = {}; var queue = [start]; previous[start] = null;
      while (queue.length) {
        var node = queue.shift();
        if (node === target) { break; }
        successors(node).forEach(function (next) {
          if (!(next in previous)) { previous[next] = node; queue.push(next); }
        });
      }
      var path = []; var cursor = target;
      while (cursor !== null && cursor !== undefined) { path.unshift(cursor); cursor = previous[cursor]; }
      return path;
    }

    function answerBetween(from, to) {
      var link = byNode[from].querySelector('a[data-next="' + to + '"]');
      return link ? link.textContent : "";
    }

    function show(node, moveFocus) {
      var last = trail[trail.length - 1];
      var back = trail.indexOf(node);
      if (back >= 0) { trail = trail.slice(0, back + 1); }
      else if (last && successors(last).indexOf(node) >= 0) { trail.push(node); }
      else { trail = shortestTrail(node); }
      steps.forEach(function (step) { step.classList.toggle("mk-tree__current", step.dataset.node === node); });
      var list = controls.querySelector(".mk-tree__path ol");
      list.innerHTML = "";
      trail.slice(0, -1).forEach(function (step, index) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + treeId + "--" + step;
        link.textContent = byNode[step].querySelector(".mk-tree__text").textContent + " – " +
          answerBetween(step, trail[index + 1]);
        item.appendChild(link);
        list.appendChild(item);
      });
      controls.querySelector("[data-action=back]").disabled = trail.length < 2;
      controls.querySelector(".mk-tree__status").textContent =
        "Krok " + (steps.indexOf(byNode[node]) + 1) + ": " + byNode[node].querySelector(".mk-tree__text").textContent;
      if (moveFocus) { byNode[node].focus({ preventScroll: false }); }
    }

    function nodeFromHash() {
      var prefix = "#" + treeId + "--";
      var hash = decodeURIComponent(location.hash);
      if (hash.indexOf(prefix) !== 0) { return null; }
      var node = hash.slice(prefix.length);
      return byNode[node] ? node : null;
    }

    controls.querySelector("[data-action=back]").addEventListener("click", function () {
      if (trail.length > 1) { goToStep(treeId + "--" + trail[trail.length - 2]); }
    });
    controls.querySelector("[data-action=restart]").addEventListener("click", function () {
      trail = [];
      goToStep(treeId + "--" + start);
    });
    window.addEventListener("hashchange", function () {
      var node = nodeFromHash();
      if (node) { show(node, true); }
    });
    var initial = nodeFromHash();
    show(initial || start, Boolean(initial));
  }

  // Citations: add today's date of access and a copy button.
  function setUpCitation(block) {
    var text = block.querySelector(".mk-cite__text");
    var today = new Date();
    var accessed = today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
    text.textContent = text.dataset.citation + " [cit. " + accessed + "].";
    var actions = block.querySelector(".mk-cite__actions");
    if (!actions || !navigator.clipboard) { return; }
    actions.hidden = false;
    actions.querySelector("[data-action=copy-citation]").addEventListener("click", function () {
      navigator.clipboard.writeText(text.textContent).then(function () {
        actions.querySelector(".mk-cite__status").textContent = "Zkopírováno.";
      });
    });
  }

  // Snippets for municipalities: choose a tool, see it in the preview, copy a code.
  function setUpSnippets(box) {
    var select = box.querySelector("select");
    var preview = box.querySelector(".mk-snippets__preview iframe");
    select.addEventListener("change", function () {
      box.querySelectorAll(".mk-snippets__tool").forEach(function (tool) {
        tool.hidden = tool.dataset.tool !== select.value;
        if (!tool.hidden && preview) {
          preview.title = "Náhled: " + select.selectedOptions[0].textContent;
          // replace(), not src: choosing tools must not fill this page's history.
          preview.contentWindow.location.replace(new URL(tool.dataset.preview, location.href).href);
        }
      });
    });
    // The preview reports its height as it would to a municipal page.
    window.addEventListener("message", function (event) {
      if (preview && event.source === preview.contentWindow && event.origin === location.origin &&
          event.data && event.data.metodikyVyska) {
        preview.style.height = event.data.metodikyVyska + "px";
      }
    });
    box.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(document.getElementById(button.dataset.copy).value).then(function () {
          button.textContent = "Zkopírováno";
        });
      });
    });
  }

  // --- Tables on phones and keyboards ---
  // On a narrow screen a table of three or more columns is shown row by row, each cell under its
  // column's name (metodiky.css), instead of columns two words wide. Explicit roles keep it a
  // table for screen readers, which drop the semantics of a table laid out as blocks.
  // A table that still scrolls sideways becomes a named region a keyboard can scroll.
  function setUpTable(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (headers.length >= 3) {
      table.dataset.stack = "";
      table.setAttribute("role", "table");
      table.querySelectorAll("thead, tbody").forEach(function (group) { group.setAttribute("role", "rowgroup"); });
      table.querySelectorAll("tr").forEach(function (row) { row.setAttribute("role", "row"); });
      table.querySelectorAll("thead th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          cell.setAttribute("role", "cell");
          if (headers[index]) { cell.dataset.label = headers[index]; }
        });
      });
    }
    var region = table.closest(".md-typeset__scrollwrap");
    if (region) { markWhileScrolling(region, "Tabulka, posouvá se do stran: " + headers.join(", ")); }
  }

  // Whatever scrolls sideways (a wide table, a code sample on a phone) can be focused and
  // scrolled with the arrow keys; it is no extra tab stop while it fits.
  function markWhileScrolling(region, label) {
    function mark() {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.tabIndex = 0;
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", label);
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (name) { region.removeAttribute(name); });
      }
    }
    mark();
    if ("ResizeObserver" in window) { new ResizeObserver(mark).observe(region); }
  }
  // --- end of tables ---

  function initialise() {
    document.querySelectorAll(".mk-snippets").forEach(setUpSnippets);
    document.querySelectorAll(".mk-cite").forEach(setUpCitation);
    document.querySelectorAll(".mk-checklist").forEach(setUpChecklist);
    document.querySelectorAll(".mk-tree").forEach(setUpTree);
    document.querySelectorAll(".md-typeset table:not([class])").forEach(setUpTable);
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      markWhileScrolling(code, "Ukázka, posouvá se do stran");
    });
  }

  if (window.document$) {
    window.document$.subscribe(initialise);
  } else {
    document.addEventListener("DOMContentLoaded", initialise);
  }
})();
