// Progressive enhancement for checklists (ticks kept in this browser) and decision trees (stepper).
(function () {
  "use strict";

  // Checklists: ticks kept per checklist id and item id, so they survive a new release of the
  // methodology. Item ids are places in the list ("2-3"), so each tick also keeps a fingerprint
  // of the item's text: an item that a release moved or reworded starts unticked rather than
  // inherit a tick that was given to something else. The script before kept ticks per version
  // ("metodiky:<checklist>:<version>"); the current version's are read once, then all removed.
  var TICKS_PREFIX = "metodiky:zaskrtnuti:";
  var UNDO_SECONDS = 10;

  function itemFingerprint(box) {
    var label = box.labels && box.labels[0];
    var text = (label ? label.textContent : "").replace(/\s+/g, " ").trim();
    var hash = 5381;
    for (var i = 0; i < text.length; i++) { hash = (hash * 33 + text.charCodeAt(i)) % 4294967296; }
    return hash.toString(36);
  }

  function readStored(checklistId) {
    try {
      return JSON.parse(localStorage.getItem(TICKS_PREFIX + checklistId) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function loadTicks(list, boxes) {
    var checklistId = list.dataset.checklist;
    var stored = readStored(checklistId);
    var ticks = {};
    boxes.forEach(function (box) {
      if (stored[box.dataset.item] === itemFingerprint(box)) { ticks[box.dataset.item] = true; }
    });
    try {
      var legacy = "metodiky:" + checklistId + ":";
      var names = Object.keys(localStorage).filter(function (name) { return name.indexOf(legacy) === 0; });
      if (!names.length) { return ticks; }
      var current = JSON.parse(localStorage.getItem(legacy + list.dataset.version) || "{}") || {};
      Object.keys(current).forEach(function (item) { if (current[item] === true) { ticks[item] = true; } });
      saveTicks(checklistId, boxes, ticks);
      names.forEach(function (name) { localStorage.removeItem(name); });
    } catch (error) { /* unreadable old ticks are left behind */ }
    return ticks;
  }

  // Only this page's items are written: a tick kept for another text of an item (an archived
  // version open in another tab) stays until that item is ticked or cleared where it is shown.
  function saveTicks(checklistId, boxes, ticks) {
    var stored = readStored(checklistId);
    boxes.forEach(function (box) {
      var item = box.dataset.item;
      var fingerprint = itemFingerprint(box);
      if (ticks[item]) { stored[item] = fingerprint; }
      else if (stored[item] === fingerprint) { delete stored[item]; }
    });
    try {
      if (Object.keys(stored).length) {
        localStorage.setItem(TICKS_PREFIX + checklistId, JSON.stringify(stored));
      } else {
        localStorage.removeItem(TICKS_PREFIX + checklistId);
      }
    } catch (error) { /* storage full or off: the ticks stay on the page until it is left */ }
  }

  function setUpChecklist(list) {
    var checklistId = list.dataset.checklist;
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    var actions = list.querySelector(".mk-tool__actions");
    var saved = loadTicks(list, boxes);
    var undoTimer = null;

    function currentTicks() {
      var state = {};
      boxes.forEach(function (b) { if (b.checked) { state[b.dataset.item] = true; } });
      return state;
    }

    function showProgress() {
      if (!actions) { return; }
      var done = boxes.filter(function (b) { return b.checked; }).length;
      actions.querySelector(".mk-checklist__progress").textContent =
        "Splněno " + done + " z\u00a0" + boxes.length;
      actions.querySelector("[data-action=clear]").disabled = done === 0;
    }

    function endUndo() {
      clearTimeout(undoTimer);
      undoTimer = null;
      if (!actions) { return; }
      var undo = actions.querySelector(".mk-checklist__undo");
      var hadFocus = undo.contains(document.activeElement);
      undo.textContent = "";
      if (hadFocus) { boxes[0].focus(); }
    }

    boxes.forEach(function (box) {
      box.checked = Boolean(saved[box.dataset.item]);
      box.addEventListener("change", function () {
        endUndo();
        saveTicks(checklistId, boxes, currentTicks());
        showProgress();
      });
    });
    if (!actions) { return; }
    actions.hidden = false;
    showProgress();
    actions.querySelector("[data-action=clear]").addEventListener("click", function () {
      var cleared = currentTicks();
      boxes.forEach(function (box) { box.checked = false; });
      saveTicks(checklistId, boxes, {});
      showProgress();
      endUndo();
      // A mis-tap in the field must not lose the work: "Zpět" brings the ticks back for a while.
      var undo = actions.querySelector(".mk-checklist__undo");
      undo.textContent = "Zaškrtnutí vymazána. ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.dataset.action = "undo";
      button.textContent = "Zpět";
      button.addEventListener("click", function () {
        boxes.forEach(function (box) { box.checked = Boolean(cleared[box.dataset.item]); });
        saveTicks(checklistId, boxes, cleared);
        endUndo();
        showProgress();
        undo.textContent = "Zaškrtnutí vrácena.";
      });
      undo.appendChild(button);
      button.focus();
      undoTimer = setTimeout(endUndo, UNDO_SECONDS * 1000);
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
    // The outcome ends a long page on a phone: the same two buttons wait under it.
    var endControls = document.createElement("p");
    endControls.className = "mk-tree__buttons mk-tree__end";
    endControls.innerHTML =
      '<button type="button" class="md-button" data-action="back">Zpět</button> ' +
      '<button type="button" class="md-button" data-action="restart">Začít znovu</button>';
    section.querySelector(".mk-tree__steps").insertAdjacentElement("afterend", endControls);
    // Steps are numbered in the order taken (1, 2, 3), not by their place in the whole tree.
    var stepNumber = document.createElement("p");
    stepNumber.className = "mk-tree__stepno";

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
      section.querySelectorAll("[data-action=back]").forEach(function (button) {
        button.disabled = trail.length < 2;
      });
      endControls.hidden = !byNode[node].classList.contains("mk-tree__outcome");
      stepNumber.textContent = "Krok " + trail.length;
      byNode[node].insertBefore(stepNumber, byNode[node].firstChild);
      controls.querySelector(".mk-tree__status").textContent =
        "Krok " + trail.length + ": " + byNode[node].querySelector(".mk-tree__text").textContent;
      if (moveFocus) { byNode[node].focus({ preventScroll: false }); }
    }

    function nodeFromHash() {
      var prefix = "#" + treeId + "--";
      var hash = decodeURIComponent(location.hash);
      if (hash.indexOf(prefix) !== 0) { return null; }
      var node = hash.slice(prefix.length);
      return byNode[node] ? node : null;
    }

    section.querySelectorAll("[data-action=back]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (trail.length > 1) { goToStep(treeId + "--" + trail[trail.length - 2]); }
      });
    });
    section.querySelectorAll("[data-action=restart]").forEach(function (button) {
      button.addEventListener("click", function () {
        trail = [];
        goToStep(treeId + "--" + start);
      });
    });
    setUpTreeOutline(section, steps);
    window.addEventListener("hashchange", function () {
      var node = nodeFromHash();
      if (node) { show(node, true); }
    });
    var initial = nodeFromHash();
    show(initial || start, Boolean(initial));
  }

  // The whole tree at a glance. A phone is too narrow for the diagram, so there the same boxes
  // and arrows become a list of steps with their answers (shown by the style sheet by width);
  // on a wide screen the diagram opens with its first question in view.
  function setUpTreeOutline(section, steps) {
    var diagram = section.querySelector(".mk-tree__diagram");
    if (!diagram) { return; }
    var outline = document.createElement("ol");
    outline.className = "mk-tree__outline";
    steps.forEach(function (step) {
      var item = document.createElement("li");
      item.value = step.value;
      var text = document.createElement("p");
      text.textContent = step.querySelector(".mk-tree__text").textContent;
      item.appendChild(text);
      var answers = step.querySelectorAll("a[data-next]");
      if (answers.length) {
        var list = document.createElement("ul");
        answers.forEach(function (answer) {
          var entry = document.createElement("li");
          var target = section.querySelector('.mk-tree__steps > li[data-node="' + answer.dataset.next + '"]');
          entry.textContent = answer.textContent + " → krok " + target.value;
          list.appendChild(entry);
        });
        item.appendChild(list);
      } else {
        item.className = "mk-tree__outline-outcome";
      }
      outline.appendChild(item);
    });
    diagram.appendChild(outline);
    diagram.addEventListener("toggle", function () {
      var scroll = diagram.querySelector(".mk-tree__scroll");
      if (diagram.open && scroll) { scroll.scrollLeft = (scroll.scrollWidth - scroll.clientWidth) / 2; }
    });
  }

  // Printing one tool alone: "Vytisknout" marks the tool and the elements that contain it, the
  // print style sheet hides everything else, and the marks go after printing. It all happens in
  // this page, so it works offline, with the ticks of this browser and without a pop-up window.
  // data-print: "prazdny" (empty boxes), "vyplneny" (boxes as ticked here), "strom" (all steps).
  function setUpPrint(tool) {
    var actions = tool.querySelector(".mk-tool__actions");
    if (!actions) { return; }
    actions.hidden = false;
    actions.querySelectorAll("[data-action=print]").forEach(function (button) {
      button.addEventListener("click", function () {
        printTool(tool, button.dataset.print);
      });
    });
  }

  function printTool(tool, mode) {
    endToolPrint();
    var root = document.documentElement;
    root.classList.add("mk-print-tool");
    tool.classList.add("mk-print-target");
    tool.dataset.printMode = mode;
    // The public address, not that of a preview or a saved copy, is what a reader can type in.
    var canonical = document.querySelector("link[rel=canonical]");
    var address = canonical ? canonical.href : location.href.split("#")[0];
    // A handed-out sheet says where it is from, which version, and under which licence.
    var origin = tool.dataset.origin ? tool.dataset.origin + " – " : "";
    tool.dataset.printSource = "Vytištěno z: " + origin + document.title.split(" - ")[0] + " – " +
      address + " · licence CC BY 4.0";
    for (var node = tool.parentElement; node && node !== root; node = node.parentElement) {
      node.classList.add("mk-print-path");
    }
    window.addEventListener("afterprint", endToolPrint, { once: true });
    window.print();
    // Where print() does not wait for the dialog and no afterprint comes, the next touch or key
    // in the page ends it, so a later Ctrl+P prints the whole chapter again.
    ["pointerdown", "keydown"].forEach(function (type) {
      document.addEventListener(type, endToolPrint, { once: true });
    });
  }

  function endToolPrint() {
    document.documentElement.classList.remove("mk-print-tool");
    document.querySelectorAll(".mk-print-path").forEach(function (node) {
      node.classList.remove("mk-print-path");
    });
    document.querySelectorAll(".mk-print-target").forEach(function (tool) {
      tool.classList.remove("mk-print-target");
      delete tool.dataset.printMode;
      delete tool.dataset.printSource;
    });
  }

  // --- Citations (begin): the page's „Citovat“ and each section heading's menu. -------------
  // Citations are built with a placeholder for the date of access; the reader's date is today.
  var ACCESS_PLACEHOLDER = "RRRR-MM-DD";

  function accessDate() {
    var today = new Date();
    return today.getFullYear() + "-" + String(today.getMonth() + 1).padStart(2, "0") + "-" +
      String(today.getDate()).padStart(2, "0");
  }

  function withAccessDate(text) {
    return text.split(ACCESS_PLACEHOLDER).join(accessDate());
  }

  function copyToClipboard(text, status) {
    navigator.clipboard.writeText(text).then(function () {
      status.textContent = "Zkopírováno.";
    }, function () {
      status.textContent = "Kopírování se nepodařilo; označte text a zkopírujte jej ručně.";
    });
  }

  // RIS and BibTeX files carry the placeholder too: fill in today and save the result.
  function downloadWithAccessDate(link) {
    link.addEventListener("click", function (event) {
      if (!window.fetch || !window.Blob || !URL.createObjectURL) { return; }
      event.preventDefault();
      fetch(link.href).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (text) {
        var saved = document.createElement("a");
        saved.href = URL.createObjectURL(new Blob([withAccessDate(text)], { type: "text/plain" }));
        saved.download = link.getAttribute("href").split("/").pop();
        document.body.appendChild(saved);
        saved.click();
        saved.remove();
        setTimeout(function () { URL.revokeObjectURL(saved.href); }, 1000);
      }).catch(function () { location.href = link.href; });
    });
  }

  function setUpPageCitation(block) {
    var text = block.querySelector(".mk-cite__text");
    text.innerHTML = withAccessDate(text.innerHTML);
    block.querySelectorAll("[data-citation-file]").forEach(downloadWithAccessDate);
    var actions = block.querySelector(".mk-cite__actions");
    if (!actions || !navigator.clipboard) { return; }
    actions.hidden = false;
    actions.querySelector("[data-action=copy-citation]").addEventListener("click", function () {
      copyToClipboard(withAccessDate(text.dataset.citation), actions.querySelector(".mk-cite__status"));
    });
  }

  // The heading's „#“ becomes a button opening „Kopírovat odkaz“ and „Kopírovat citaci“.
  function setUpHeadingMenu(link) {
    if (!navigator.clipboard) { return; }  // the plain „#“ link stays
    var heading = link.parentNode;
    var menuId = "mk-anchor-" + heading.id;
    var wrapper = document.createElement("span");
    wrapper.className = "mk-anchor mk-cite-ui";
    wrapper.innerHTML =
      '<button type="button" class="mk-anchor__toggle" aria-expanded="false" aria-controls="' + menuId +
      '" aria-label="Odkaz a citace oddílu" title="Odkaz a citace oddílu">#</button>' +
      '<span class="mk-anchor__menu" id="' + menuId + '" hidden>' +
      '<button type="button" data-action="copy-link">Kopírovat odkaz</button>' +
      '<button type="button" data-action="copy-citation">Kopírovat citaci</button>' +
      '<span class="mk-anchor__status" role="status"></span></span>';
    var toggle = wrapper.querySelector(".mk-anchor__toggle");
    var menu = wrapper.querySelector(".mk-anchor__menu");
    var status = wrapper.querySelector(".mk-anchor__status");
    var permalink = new URL(link.dataset.permalink || link.getAttribute("href"), location.href).href;
    var citation = link.dataset.citation;

    function open(shown) {
      menu.hidden = !shown;
      toggle.setAttribute("aria-expanded", String(shown));
      if (shown) { status.textContent = ""; menu.querySelector("button").focus(); }
    }
    toggle.addEventListener("click", function () { open(menu.hidden); });
    menu.querySelector("[data-action=copy-link]").addEventListener("click", function () {
      copyToClipboard(permalink, status);
    });
    menu.querySelector("[data-action=copy-citation]").addEventListener("click", function () {
      copyToClipboard(withAccessDate(citation), status);
    });
    wrapper.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !menu.hidden) { open(false); toggle.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (!menu.hidden && !wrapper.contains(event.target)) { open(false); }
    });
    heading.replaceChild(wrapper, link);
  }
  // --- Citations (end) ---------------------------------------------------------------------

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
    document.querySelectorAll(".mk-cite-page").forEach(setUpPageCitation);
    document.querySelectorAll(".md-typeset :is(h2, h3) > a.headerlink[data-citation]").forEach(setUpHeadingMenu);
    document.querySelectorAll(".mk-checklist").forEach(setUpChecklist);
    document.querySelectorAll(".mk-tree").forEach(setUpTree);
    document.querySelectorAll(".mk-checklist, .mk-tree").forEach(setUpPrint);
    document.querySelectorAll(".md-typeset table:not([class])").forEach(setUpTable);
    document.querySelectorAll(".md-typeset pre > code").forEach(function (code) {
      markWhileScrolling(code, "Ukázka kódu, posouvá se do stran");
    });
  }

  if (window.document$) {
    window.document$.subscribe(initialise);
  } else {
    document.addEventListener("DOMContentLoaded", initialise);
  }
})();
