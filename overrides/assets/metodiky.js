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
      if (trail.length > 1) { location.hash = treeId + "--" + trail[trail.length - 2]; }
    });
    controls.querySelector("[data-action=restart]").addEventListener("click", function () {
      trail = [];
      location.hash = treeId + "--" + start;
    });
    window.addEventListener("hashchange", function () {
      var node = nodeFromHash();
      if (node) { show(node, true); }
    });
    var initial = nodeFromHash();
    show(initial || start, Boolean(initial));
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

  // Snippets for municipalities: choose a tool, copy a code.
  function setUpSnippets(box) {
    var select = box.querySelector("select");
    select.addEventListener("change", function () {
      box.querySelectorAll(".mk-snippets__tool").forEach(function (tool) {
        tool.hidden = tool.dataset.tool !== select.value;
      });
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

  function initialise() {
    document.querySelectorAll(".mk-snippets").forEach(setUpSnippets);
    document.querySelectorAll(".mk-cite-page").forEach(setUpPageCitation);
    document.querySelectorAll(".md-typeset :is(h2, h3) > a.headerlink[data-citation]").forEach(setUpHeadingMenu);
    document.querySelectorAll(".mk-checklist").forEach(setUpChecklist);
    document.querySelectorAll(".mk-tree").forEach(setUpTree);
  }

  if (window.document$) {
    window.document$.subscribe(initialise);
  } else {
    document.addEventListener("DOMContentLoaded", initialise);
  }
})();
