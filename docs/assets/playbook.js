// Progressive enhancement of the generated pages. Every page reads fine without it: tables show
// every row, onboarding tasks are plain checkboxes.
(function () {
  "use strict";

  // -- Index tables: filter by the columns named below, search the text, sort by any column. ------

  var FILTERED = ["Status", "Owners", "Tags", "Ring", "Quadrant", "Kind"];

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function values(row, index) {
    return cellText(row, index).split(",").map(function (v) { return v.trim(); }).filter(Boolean);
  }

  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function enhanceTable(box, number) {
    var table = box.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length) return;
    var headers = Array.prototype.map.call(table.tHead.rows[0].cells, function (c) { return c.textContent.trim(); });
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var controls = document.createElement("div");
    controls.className = "pb-filters";
    controls.setAttribute("role", "search");
    var selects = [];

    var text = document.createElement("input");
    text.type = "search";
    text.id = "pb-filter-" + number + "-text";
    text.placeholder = "Filter rows";
    text.setAttribute("aria-label", "Filter rows by any text");
    controls.appendChild(text);

    headers.forEach(function (name, index) {
      if (FILTERED.indexOf(name) < 0) return;
      var seen = {};
      rows.forEach(function (row) { values(row, index).forEach(function (v) { seen[v] = true; }); });
      var options = Object.keys(seen).sort(compare);
      if (options.length < 2) return;
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.id = "pb-filter-" + number + "-" + name.toLowerCase();
      select.dataset.column = String(index);
      label.htmlFor = select.id;
      label.textContent = name;
      var all = document.createElement("option");
      all.value = "";
      all.textContent = "All";
      select.appendChild(all);
      options.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      label.appendChild(select);
      controls.appendChild(label);
      selects.push(select);
    });

    var count = document.createElement("span");
    count.className = "pb-filter-count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);
    box.insertBefore(controls, box.firstChild);

    function apply() {
      var needle = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        selects.forEach(function (select) {
          if (ok && select.value) ok = values(row, Number(select.dataset.column)).indexOf(select.value) >= 0;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown === rows.length ? rows.length + " rows" : shown + " of " + rows.length + " rows";
    }

    text.addEventListener("input", apply);
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    apply();

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pb-sort";
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent.trim();
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var order = compare(cellText(a, index), cellText(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // -- Onboarding kits: task checkboxes remembered in this browser, progress per phase, reset. ---

  function storageKey(kit, task) {
    return "playbook:onboarding:" + kit + ":" + task;
  }

  function enhanceKit(kit) {
    var name = kit.id.replace(/^kit-/, "");
    var tasks = Array.prototype.slice.call(kit.querySelectorAll(".pb-task"));
    var phases = Array.prototype.slice.call(kit.querySelectorAll("ul.pb-phase-tasks, .pb-phase-tasks ul"));

    function box(task) {
      var item = task.closest("li");
      return item ? item.querySelector("input[type=checkbox]") : null;
    }

    var bars = phases.map(function (list) {
      var wrap = document.createElement("div");
      wrap.className = "pb-progress";
      var bar = document.createElement("progress");
      var label = document.createElement("span");
      var heading = list.closest(".pb-phase") ? list.closest(".pb-phase").querySelector("h2") : null;
      bar.setAttribute("aria-label", "Progress" + (heading ? " of " + heading.textContent.replace(/¶$/, "").trim() : ""));
      wrap.appendChild(bar);
      wrap.appendChild(label);
      list.parentNode.insertBefore(wrap, list);
      return { list: list, bar: bar, label: label };
    });

    function update() {
      bars.forEach(function (b) {
        var boxes = b.list.querySelectorAll("input[type=checkbox]");
        var done = Array.prototype.filter.call(boxes, function (c) { return c.checked; }).length;
        b.bar.max = boxes.length;
        b.bar.value = done;
        b.label.textContent = done + " of " + boxes.length + " done";
      });
    }

    tasks.forEach(function (task) {
      var input = box(task);
      if (!input) return;
      input.disabled = false;
      input.setAttribute("aria-label", task.parentNode.textContent.trim().slice(0, 120));
      try { input.checked = window.localStorage.getItem(storageKey(name, task.id)) === "done"; } catch (e) { /* storage off */ }
      input.addEventListener("change", function () {
        try {
          if (input.checked) window.localStorage.setItem(storageKey(name, task.id), "done");
          else window.localStorage.removeItem(storageKey(name, task.id));
        } catch (e) { /* storage off: progress lasts for this page view */ }
        update();
      });
    });

    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "md-button pb-reset";
    reset.textContent = "Reset my progress";
    reset.addEventListener("click", function () {
      tasks.forEach(function (task) {
        var input = box(task);
        if (input) input.checked = false;
        try { window.localStorage.removeItem(storageKey(name, task.id)); } catch (e) { /* storage off */ }
      });
      update();
    });
    var note = document.createElement("p");
    note.className = "pb-kit-note";
    note.textContent = "Ticks are kept in this browser only. ";
    note.appendChild(reset);
    kit.insertBefore(note, kit.firstChild);
    update();
  }

  function start() {
    // Material's search overlay is a dialog without a name; screen readers announce it as "Search".
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    Array.prototype.forEach.call(document.querySelectorAll(".pb-filterable"), enhanceTable);
    Array.prototype.forEach.call(document.querySelectorAll(".pb-kit"), enhanceKit);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
