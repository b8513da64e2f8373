// Progressive enhancement of the generated pages. Every page reads fine without it: tables show
// every row, onboarding tasks are plain checkboxes, drawings fill the column.
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

  // -- Onboarding kits: task checkboxes remembered in this browser, each named by its task's whole text;
  // progress per phase and for the whole kit (announced politely); a quiet reset that asks first. ------

  function storageKey(kit, task) {
    return "playbook:onboarding:" + kit + ":" + task;
  }

  // "7 of 23 tasks done"
  function tasksDone(done, total) {
    return done + " of " + total + (total === 1 ? " task" : " tasks") + " done";
  }

  // The kit's overall progress, its note on where ticks are kept and the reset button, built detached.
  function kitStatus() {
    var status = document.createElement("div");
    status.className = "pb-kit-status";
    var text = document.createElement("p");
    text.className = "pb-kit-overall";
    text.setAttribute("aria-live", "polite");
    var bar = document.createElement("progress");
    bar.setAttribute("aria-label", "Progress of the whole kit");
    var note = document.createElement("p");
    note.className = "pb-kit-note";
    note.textContent = "Ticks are kept in this browser only. ";
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "pb-kit-reset";
    reset.textContent = "Reset my progress…";
    note.appendChild(reset);
    status.appendChild(text);
    status.appendChild(bar);
    status.appendChild(note);
    return { element: status, text: text, bar: bar, reset: reset };
  }

  function enhanceKit(kit) {
    var name = kit.id.replace(/^kit-/, "");
    var tasks = Array.prototype.slice.call(kit.querySelectorAll(".pb-task"));
    var phases = Array.prototype.slice.call(kit.querySelectorAll("ul.pb-phase-tasks, .pb-phase-tasks ul"));

    function box(task) {
      var item = task.closest("li");
      return item ? item.querySelector("input[type=checkbox]") : null;
    }

    function ticked() {
      return tasks.filter(function (task) { var input = box(task); return input && input.checked; });
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
    var status = kitStatus();
    var total = tasks.filter(box).length;

    function update() {
      bars.forEach(function (b) {
        var boxes = b.list.querySelectorAll("input[type=checkbox]");
        var done = Array.prototype.filter.call(boxes, function (c) { return c.checked; }).length;
        b.bar.max = boxes.length;
        b.bar.value = done;
        b.label.textContent = done + " of " + boxes.length + " done";
      });
      var done = ticked().length;
      status.bar.max = total;
      status.bar.value = done;
      status.text.textContent = tasksDone(done, total);
      status.reset.disabled = done === 0;
    }

    tasks.forEach(function (task) {
      var input = box(task);
      if (!input) return;
      input.disabled = false;
      input.removeAttribute("aria-label");
      input.setAttribute("aria-labelledby", task.id);  // the span holds the task's whole text
      try { input.checked = window.localStorage.getItem(storageKey(name, task.id)) === "done"; } catch (e) { /* storage off */ }
      input.addEventListener("change", function () {
        try {
          if (input.checked) window.localStorage.setItem(storageKey(name, task.id), "done");
          else window.localStorage.removeItem(storageKey(name, task.id));
        } catch (e) { /* storage off: progress lasts for this page view */ }
        update();
      });
    });

    status.reset.addEventListener("click", function () {
      var done = ticked();
      var count = done.length === 1 ? "the 1 ticked task" : "all " + done.length + " ticked tasks";
      if (!done.length || !window.confirm("Untick " + count + " of this kit? This cannot be undone.")) return;
      done.forEach(function (task) {
        box(task).checked = false;
        try { window.localStorage.removeItem(storageKey(name, task.id)); } catch (e) { /* storage off */ }
      });
      update();
    });
    update();  // before the status joins the page, so its first text is not announced
    kit.insertBefore(status.element, kit.firstChild);
  }

  // -- Drawings: shown large enough to read (the smallest label at least 11 px, in a frame that scrolls
  // sideways when the column is narrower), and a full-screen viewer that zooms and pans. -------------

  var INLINE_PX = 11;  // smallest label on the page, in CSS px
  var VIEWER_PX = 14;  // smallest label when the viewer opens
  var SVG_NS = "http://www.w3.org/2000/svg";
  var ID_PREFIX = "pb-v-";
  var UNITS = { "": 1, px: 1, pt: 96 / 72, pc: 16, "in": 96, cm: 96 / 2.54, mm: 96 / 25.4 };
  var drawings = new WeakMap();  // object -> what sizing needs from its drawing

  // A length attribute ("1492pt", "820") in CSS px; NaN when it has no absolute length.
  function cssLength(value) {
    var match = /^\s*([0-9.]+)\s*(px|pt|pc|in|cm|mm)?\s*$/i.exec(value || "");
    return match ? parseFloat(match[1]) * UNITS[(match[2] || "").toLowerCase()] : NaN;
  }

  // The smallest font of the drawing's labels, in the user units of its root (the transforms of the groups
  // around a label count; the root's own viewBox does not).
  function smallestFont(root) {
    var view = root.ownerDocument.defaultView || window;
    var smallest = Infinity;
    Array.prototype.forEach.call(root.querySelectorAll("text, tspan, textPath"), function (label) {
      var shown = Array.prototype.some.call(label.childNodes, function (n) { return n.nodeType === 3 && n.data.trim(); });
      if (!shown) return;
      var size = parseFloat(view.getComputedStyle(label).fontSize) || parseFloat(label.getAttribute("font-size"));
      if (!(size > 0)) return;
      for (var node = label; node && node !== root; node = node.parentNode) {
        var list = node.transform && node.transform.baseVal;
        for (var i = 0; list && i < list.numberOfItems; i += 1) {
          var m = list.getItem(i).matrix;
          size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
        }
      }
      smallest = Math.min(smallest, size);
    });
    return smallest;
  }

  // What sizing needs from a drawing's root: its viewBox, its natural width in CSS px, its smallest font.
  function drawingOf(root) {
    var box = root.viewBox && root.viewBox.baseVal;
    var natural = cssLength(root.getAttribute("width"));
    var naturalHeight = cssLength(root.getAttribute("height"));
    var width = box && box.width > 0 ? box.width : natural;
    var height = box && box.height > 0 ? box.height : naturalHeight;
    if (!(width > 0 && height > 0)) return null;
    return {
      x: box && box.width > 0 ? box.x : 0, y: box && box.height > 0 ? box.y : 0, width: width, height: height,
      natural: natural > 0 ? natural : width, font: smallestFont(root)
    };
  }

  function extent(style, side) {
    return (parseFloat(style["padding" + side]) || 0) + (parseFloat(style["border" + side + "Width"]) || 0);
  }

  // Fill the column when that keeps every label at least INLINE_PX, else take the width where the smallest
  // label is exactly INLINE_PX and let the frame scroll; never wider than the drawing's natural size.
  function sizeInline(object) {
    var drawing = drawings.get(object);
    var frame = object.parentNode;
    if (!drawing || !frame) return;
    var style = window.getComputedStyle(object);
    var extraX = extent(style, "Left") + extent(style, "Right");
    var extraY = extent(style, "Top") + extent(style, "Bottom");
    var column = frame.clientWidth - extraX;
    if (column <= 0) return;  // in a hidden tab: sized when the tab is shown
    var width = Math.floor(column);
    if (width * drawing.font / drawing.width < INLINE_PX) width = Math.ceil(INLINE_PX * drawing.width / drawing.font);
    width = Math.min(width, drawing.natural);
    var height = Math.ceil(width * drawing.height / drawing.width);
    object.style.width = width + extraX + "px";
    object.style.height = height + extraY + "px";
    object.style.aspectRatio = drawing.width + " / " + drawing.height;
    // A frame that scrolls is a named tab stop, so that the arrow keys scroll it; one that does not is neither.
    if (width + extraX > frame.clientWidth + 0.5) {
      frame.tabIndex = 0;
      frame.setAttribute("role", "group");
      frame.setAttribute("aria-label", "Drawing; scroll sideways to see all of it");
    } else {
      ["tabindex", "role", "aria-label"].forEach(function (name) { frame.removeAttribute(name); });
    }
    object.setAttribute("data-pb-sized", String(width));
  }

  function loaded(object) {
    var doc;
    try { doc = object.contentDocument; } catch (e) { return; }  // another origin (a page opened from disk)
    var root = doc && doc.documentElement;
    if (!root || root.namespaceURI !== SVG_NS) return;
    var drawing = drawingOf(root);
    if (!drawing) return;
    drawings.set(object, drawing);
    sizeInline(object);
  }

  function enhanceDiagram(object) {
    var frame = document.createElement("div");
    frame.className = "pb-diagram-frame";
    object.parentNode.insertBefore(frame, object);
    frame.appendChild(object);  // the object loads its drawing again here; its load event sizes it
    object.addEventListener("load", function () { loaded(object); });
    loaded(object);  // for a browser that keeps the loaded drawing across the move and fires no new load event
    // The column changes width with the window, and from nothing when the drawing's tab is shown.
    var lastWidth = -1;
    new ResizeObserver(function () {
      if (frame.clientWidth === lastWidth) return;
      lastWidth = frame.clientWidth;
      sizeInline(object);
    }).observe(frame);

    var tools = document.createElement("div");
    tools.className = "pb-diagram-tools";
    var open = document.createElement("button");
    open.type = "button";
    open.className = "pb-diagram-open";
    open.textContent = "Open full screen";
    open.addEventListener("click", function () { viewer().open(object, open); });
    tools.appendChild(open);
    frame.parentNode.insertBefore(tools, frame.nextSibling);
  }

  // -- The viewer's copy of a drawing: fetched, cleaned of anything that runs, links and images made
  // absolute against the drawing's own address, ids and styles kept to the copy. ----------------------

  // An address the copy may keep: the web, mail, this site's own scheme, and data for images only.
  function safeUrl(value, base, image) {
    var url;
    try { url = new URL(value.trim(), base); } catch (e) { return null; }
    if (/^(https?|mailto):$/.test(url.protocol) || url.protocol === window.location.protocol) return url.href;
    if (image && /^data:image\//i.test(value.trim())) return value.trim();
    return null;
  }

  // url(...) references: "#id" to the copy's prefixed id, anything else against the drawing's address.
  function rewriteUrls(text, base) {
    return text.replace(/url\(\s*(['"]?)([^'")]*)\1\s*\)/g, function (all, quote, target) {
      if (target.trim().charAt(0) === "#") return "url(#" + ID_PREFIX + target.trim().slice(1) + ")";
      var safe = safeUrl(target, base, true);
      return safe ? 'url("' + safe.replace(/"/g, "%22") + '")' : "none";
    });
  }

  // Split a selector list at its top-level commas.
  function selectors(list) {
    var parts = [], depth = 0, start = 0;
    for (var i = 0; i < list.length; i += 1) {
      var c = list.charAt(i);
      if (c === "(" || c === "[") depth += 1;
      else if (c === ")" || c === "]") depth -= 1;
      else if (c === "," && depth === 0) { parts.push(list.slice(start, i)); start = i + 1; }
    }
    parts.push(list.slice(start));
    return parts.map(function (s) { return s.trim(); }).filter(Boolean);
  }

  // The drawing's style sheet with every rule limited to the viewer's canvas (so `.t { ... }` cannot restyle
  // the page); font faces and media rules kept, anything else dropped.
  function scopedRules(rules, scope) {
    return Array.prototype.map.call(rules, function (rule) {
      if (rule instanceof CSSStyleRule) {
        return selectors(rule.selectorText).map(function (s) { return scope + " " + s; }).join(", ") +
          " {" + rule.style.cssText + "}";
      }
      if (rule instanceof CSSFontFaceRule) return rule.cssText;
      if (rule instanceof CSSMediaRule) return "@media " + rule.media.mediaText + " {" + scopedRules(rule.cssRules, scope) + "}";
      return "";
    }).join("\n");
  }

  function scopedCss(text, scope, base) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      return rewriteUrls(scopedRules(sheet.cssRules, scope), base);
    } catch (e) {
      return "";  // a browser that cannot parse a sheet on its own: the copy goes without it
    }
  }

  function cleanAttributes(node, base) {
    Array.prototype.slice.call(node.attributes).forEach(function (attribute) {
      var name = attribute.name, value = attribute.value;
      if (/^on/i.test(attribute.localName) || name === "xml:base") {
        node.removeAttributeNode(attribute);
      } else if (attribute.localName === "href") {
        var safe = value.trim().charAt(0) === "#" ? "#" + ID_PREFIX + value.trim().slice(1)
          : safeUrl(value, base, node.localName === "image" || node.localName === "feImage");
        if (safe === null) node.removeAttributeNode(attribute);
        else attribute.value = safe;
      } else if (name === "id") {
        attribute.value = ID_PREFIX + value;
      } else if (name === "aria-labelledby" || name === "aria-describedby") {
        attribute.value = value.trim().split(/\s+/).map(function (id) { return ID_PREFIX + id; }).join(" ");
      } else if (value.indexOf("url(") >= 0) {
        attribute.value = rewriteUrls(value, base);
      }
    });
  }

  // Keep only SVG elements that draw: no script, no foreignObject (HTML inside), no animation (which can
  // set an href), nothing of another namespace (an HTML iframe or script would load or run once imported).
  function cleanDrawing(root, base, scope) {
    Array.prototype.slice.call(root.querySelectorAll("*")).forEach(function (node) {
      if (!root.contains(node)) return;  // inside an element already removed
      var unsafe = node.namespaceURI !== SVG_NS ||
        /^(script|foreignObject|set|animate|animateMotion|animateTransform|discard)$/.test(node.localName);
      if (unsafe) { node.parentNode.removeChild(node); return; }
      cleanAttributes(node, base);
      if (node.localName === "style") node.textContent = scopedCss(node.textContent, scope, base);
    });
    cleanAttributes(root, base);
    root.removeAttribute("role");  // its links are reachable in the viewer; the dialog names the drawing
    root.removeAttribute("aria-labelledby");
    root.removeAttribute("aria-describedby");
    var width = cssLength(root.getAttribute("width")), height = cssLength(root.getAttribute("height"));
    if (!root.getAttribute("viewBox") && width > 0 && height > 0) root.setAttribute("viewBox", "0 0 " + width + " " + height);
    root.removeAttribute("width");  // the viewer sets the view; the canvas sets the size
    root.removeAttribute("height");
    return root;
  }

  var fetched = {};

  function fetchDrawing(url) {
    if (!fetched[url]) {
      fetched[url] = window.fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.text();
      });
      fetched[url].catch(function () { delete fetched[url]; });
    }
    return fetched[url].then(function (text) {
      var doc = new DOMParser().parseFromString(text, "image/svg+xml");
      var root = doc.documentElement;
      if (root.namespaceURI !== SVG_NS || root.localName !== "svg" || doc.getElementsByTagName("parsererror").length) {
        throw new Error("not an SVG drawing: " + url);
      }
      return document.importNode(cleanDrawing(root, url, ".pb-viewer-canvas"), true);
    });
  }

  // -- The viewer: one modal dialog per page, opened by the button under each drawing. -----------------

  var HELP = "Drag or use the arrow keys to move; scroll, pinch or press + and \u2212 to zoom; 0 resets; Esc closes.";
  var theViewer = null;

  function viewer() {
    if (!theViewer) theViewer = makeViewer();
    return theViewer;
  }

  function makeViewer() {
    function element(name, className, text) {
      var node = document.createElement(name);
      node.className = className;
      if (text) node.textContent = text;
      return node;
    }

    var dialog = element("dialog", "pb-viewer");
    dialog.setAttribute("aria-labelledby", "pb-viewer-title");
    dialog.setAttribute("aria-describedby", "pb-viewer-help");
    var bar = element("div", "pb-viewer-bar");
    var title = element("h2", "pb-viewer-title");
    title.id = "pb-viewer-title";
    var help = element("p", "pb-viewer-help", HELP);
    help.id = "pb-viewer-help";
    var buttons = element("div", "pb-viewer-buttons");
    var zoomIn = element("button", "pb-viewer-zoom-in", "Zoom in");
    var zoomOut = element("button", "pb-viewer-zoom-out", "Zoom out");
    var resetButton = element("button", "pb-viewer-reset", "Reset");
    var close = element("button", "pb-viewer-close", "Close");
    [zoomIn, zoomOut, resetButton, close].forEach(function (b) { b.type = "button"; buttons.appendChild(b); });
    var canvas = element("div", "pb-viewer-canvas");
    canvas.tabIndex = 0;
    canvas.setAttribute("role", "group");
    canvas.setAttribute("aria-label", "Drawing");
    bar.appendChild(title);
    bar.appendChild(help);
    bar.appendChild(buttons);
    dialog.appendChild(bar);
    dialog.appendChild(canvas);
    document.body.appendChild(dialog);

    var svg = null, box = null, font = Infinity;
    var scale = 1, x = 0, y = 0;           // px per user unit; the user point at the canvas' top left
    var width = 0, height = 0;             // the canvas' size the view was last drawn for
    var opener = null, opening = 0;

    function size() {
      var rect = canvas.getBoundingClientRect();
      return { w: rect.width, h: rect.height };
    }
    function fit(s) { return Math.min(s.w / box.width, s.h / box.height); }
    function initial(s) { return Math.max(VIEWER_PX / font, fit(s)); }

    function draw() {
      var s = size();
      width = s.w;
      height = s.h;
      // Keep at least a strip of the drawing on screen, however far it is dragged.
      var edge = 48 / scale;
      x = Math.min(Math.max(x, box.x + edge - s.w / scale), box.x + box.width - edge);
      y = Math.min(Math.max(y, box.y + edge - s.h / scale), box.y + box.height - edge);
      svg.setAttribute("viewBox", [x, y, s.w / scale, s.h / scale].join(" "));
    }

    function reset() {
      if (!svg) return;
      var s = size();
      scale = initial(s);
      x = box.x + box.width / 2 - s.w / (2 * scale);
      y = box.y + box.height / 2 - s.h / (2 * scale);
      draw();
    }

    // Zoom by `factor` keeping the point under (px, py), in canvas pixels, where it is.
    function zoomAt(factor, px, py) {
      if (!svg) return;
      var s = size();
      var next = Math.min(Math.max(scale * factor, Math.min(fit(s), initial(s)) / 2), initial(s) * 8);
      x += px / scale - px / next;
      y += py / scale - py / next;
      scale = next;
      draw();
    }

    function zoomCentre(factor) {
      var s = size();
      zoomAt(factor, s.w / 2, s.h / 2);
    }

    // Move the drawing by (dx, dy) canvas pixels.
    function pan(dx, dy) {
      if (!svg) return;
      x -= dx / scale;
      y -= dy / scale;
      draw();
    }

    function open(object, button) {
      opener = button;
      opening += 1;
      var ticket = opening;
      title.textContent = object.getAttribute("aria-label") || "Drawing";
      canvas.textContent = "";
      svg = null;
      dialog.removeAttribute("data-pb-ready");
      dialog.showModal();
      canvas.focus();
      fetchDrawing(object.data).then(function (copy) {
        if (ticket !== opening || !dialog.open) return;
        canvas.appendChild(copy);  // in the page, so that its labels' sizes come from its style sheet
        var drawing = drawingOf(copy);
        if (!drawing) {
          canvas.removeChild(copy);
          throw new Error("a drawing without a size: " + object.data);
        }
        svg = copy;
        box = drawing;
        font = drawing.font;
        svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
        reset();
        dialog.setAttribute("data-pb-ready", "");
      }).catch(function () {
        if (ticket !== opening) return;
        var note = element("p", "pb-viewer-failed", "The drawing could not be loaded here. ");
        var link = document.createElement("a");
        link.href = object.data;
        link.textContent = "Open it on its own";
        note.appendChild(link);
        canvas.appendChild(note);
      });
    }

    close.addEventListener("click", function () { dialog.close(); });
    zoomIn.addEventListener("click", function () { zoomCentre(1.25); });
    zoomOut.addEventListener("click", function () { zoomCentre(0.8); });
    resetButton.addEventListener("click", reset);
    dialog.addEventListener("close", function () {
      opening += 1;
      canvas.textContent = "";
      svg = null;
      dialog.removeAttribute("data-pb-ready");
      if (opener) opener.focus();
    });

    dialog.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var step = 60;
      switch (event.key) {
        case "+": case "=": zoomCentre(1.25); break;
        case "-": case "_": case "\u2212": zoomCentre(0.8); break;
        case "0": reset(); break;
        case "ArrowLeft": pan(step, 0); break;
        case "ArrowRight": pan(-step, 0); break;
        case "ArrowUp": pan(0, step); break;
        case "ArrowDown": pan(0, -step); break;
        default: return;
      }
      event.preventDefault();
    });

    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var unit = event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? height : 1;
      var rect = canvas.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * unit * 0.002), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });

    // Drag to pan, two pointers to pinch; a press that does not move is a click, and follows a node's link.
    var pointers = {}, count = 0, dragged = false, swallowClick = false;
    canvas.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY };
      count += 1;
      if (count === 1) dragged = false;
      swallowClick = false;
    });
    canvas.addEventListener("pointermove", function (event) {
      var p = pointers[event.pointerId];
      if (!p) return;
      if (count === 1) {
        if (!dragged && Math.abs(event.clientX - p.startX) + Math.abs(event.clientY - p.startY) < 5) return;
        if (!dragged) {
          dragged = true;
          canvas.setPointerCapture(event.pointerId);
          canvas.classList.add("pb-viewer-dragging");
        }
        pan(event.clientX - p.x, event.clientY - p.y);
      } else if (count === 2) {
        dragged = true;
        var other = null;
        Object.keys(pointers).forEach(function (id) { if (String(id) !== String(event.pointerId)) other = pointers[id]; });
        var rect = canvas.getBoundingClientRect();
        var before = Math.hypot(p.x - other.x, p.y - other.y);
        var after = Math.hypot(event.clientX - other.x, event.clientY - other.y);
        pan((event.clientX - p.x) / 2, (event.clientY - p.y) / 2);
        if (before > 0) zoomAt(after / before, (event.clientX + other.x) / 2 - rect.left, (event.clientY + other.y) / 2 - rect.top);
      }
      p.x = event.clientX;
      p.y = event.clientY;
    });
    function release(event) {
      if (!pointers[event.pointerId]) return;
      delete pointers[event.pointerId];
      count -= 1;
      if (count === 0) {
        swallowClick = dragged;
        canvas.classList.remove("pb-viewer-dragging");
      }
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    canvas.addEventListener("click", function (event) {
      if (!swallowClick) return;
      swallowClick = false;
      event.preventDefault();
      event.stopPropagation();
    }, true);
    canvas.addEventListener("dragstart", function (event) { event.preventDefault(); });
    // A node link reached with Tab is brought to the middle of the view when it is off screen.
    canvas.addEventListener("focusin", function (event) {
      if (!svg || !svg.contains(event.target)) return;
      var r = event.target.getBoundingClientRect(), c = canvas.getBoundingClientRect();
      if (r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom) return;
      pan(c.left + c.width / 2 - (r.left + r.width / 2), c.top + c.height / 2 - (r.top + r.height / 2));
    });

    new ResizeObserver(function () {
      if (!svg) return;
      var s = size();
      if (s.w === width && s.h === height) return;
      // Keep the centre of the view where it was.
      x += (width - s.w) / (2 * scale);
      y += (height - s.h) / (2 * scale);
      draw();
    }).observe(canvas);

    return { open: open };
  }

  // -- Matrices: a frame that scrolls is a named tab stop, so that the arrow keys scroll it. ---------------------

  function enhanceMatrix(frame) {
    var title = document.querySelector(".md-content h1");
    var name = (title ? title.textContent.replace(/¶$/, "").trim() : "Matrix") + "; scroll to see every row and column";
    function update() {
      if (frame.scrollWidth > frame.clientWidth + 1 || frame.scrollHeight > frame.clientHeight + 1) {
        frame.tabIndex = 0;
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", name);
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (attribute) { frame.removeAttribute(attribute); });
      }
    }
    new ResizeObserver(update).observe(frame);
  }

  // -- The decision guide: one filter over every situation and each architecture's own text (title, summary,
  // clouds, tags, components), and a cloud facet; the count of what is left is announced. -----------------------

  // What separates words: anything but a letter or a digit of any script (Latin only where a browser lacks \p{...}).
  var NOT_WORD = (function () {
    try { return new RegExp("[^\\p{L}\\p{N}]+", "gu"); } catch (e) { return /[^a-z0-9\u00df-\u024f]+/g; }
  })();
  var HYPHENS = /[-\u2010\u2011]/g;

  function folded(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  // The words of `text` as " w1 w2 ... ", once as written and once with hyphens closed up, so that a query word
  // matching the start of a word finds "chat-bot" as "chatbot" and as "bot".
  function searchable(text) {
    var words = folded(text);
    return " " + words.replace(NOT_WORD, " ") + " " + words.replace(HYPHENS, "").replace(NOT_WORD, " ") + " ";
  }

  function queryWords(text) {
    return folded(text).replace(HYPHENS, "").split(NOT_WORD).filter(Boolean);
  }

  function guideGroup(element) {
    var clouds = {};
    Array.prototype.forEach.call(element.querySelectorAll(".pb-guide__cloud"), function (span) {
      var key = /pb-guide__cloud--([a-z0-9-]+)/.exec(span.className);
      if (key) clouds[key[1]] = span.textContent.trim();
    });
    var own = Array.prototype.filter.call(element.children, function (child) {
      return !child.classList.contains("pb-guide__verdicts");
    }).map(function (child) { return child.textContent; });
    var lists = element.querySelectorAll(".pb-guide__fits, .pb-guide__misfits");
    return {
      element: element,
      clouds: clouds,
      text: searchable(own.concat(Object.keys(clouds)).join(" ")),
      heading: element.querySelector("h2[id]"),
      lists: Array.prototype.map.call(lists, function (list) {
        return {
          element: list,
          rows: Array.prototype.map.call(list.querySelectorAll("li"), function (row) {
            return { element: row, text: searchable(row.textContent) };
          })
        };
      })
    };
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function enhanceGuide(guide) {
    var groups = Array.prototype.map.call(guide.querySelectorAll(".pb-guide__group"), guideGroup);
    var total = groups.reduce(function (sum, group) {
      return sum + group.lists.reduce(function (n, list) { return n + list.rows.length; }, 0);
    }, 0);
    var names = {};
    groups.forEach(function (group) {
      Object.keys(group.clouds).forEach(function (key) { names[key] = group.clouds[key]; });
    });

    var controls = document.createElement("div");
    controls.className = "pb-filters pb-guide__controls";
    controls.setAttribute("role", "search");
    var label = document.createElement("label");
    var text = document.createElement("input");
    text.type = "search";
    text.id = "pb-guide-filter";
    text.placeholder = "e.g. chatbot, tickets, forecast";
    label.htmlFor = text.id;
    label.textContent = "Filter situations and architectures";
    label.appendChild(text);
    controls.appendChild(label);

    var facet = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = "Cloud";
    facet.appendChild(legend);
    var keys = Object.keys(names).sort(function (x, y) { return names[x].localeCompare(names[y]); });
    [""].concat(keys).forEach(function (key) {
      var option = document.createElement("label");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "pb-guide-cloud";
      radio.value = key;
      radio.checked = !key;
      option.appendChild(radio);
      option.appendChild(document.createTextNode(key ? names[key] : "All"));
      facet.appendChild(option);
    });
    if (keys.length) controls.appendChild(facet);

    var count = document.createElement("p");
    count.className = "pb-filter-count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);
    guide.insertBefore(controls, guide.firstChild);

    // The table of contents (Material keeps one in each sidebar) lists only the architectures shown.
    function tocEntries(group) {
      if (!group.heading) return [];
      var links = document.querySelectorAll('.md-nav--secondary a[href="#' + CSS.escape(group.heading.id) + '"]');
      return Array.prototype.map.call(links, function (link) { return link.closest("li"); });
    }

    function apply() {
      var words = queryWords(text.value);
      var checked = facet.querySelector("input:checked");
      var cloud = checked ? checked.value : "";
      var rows = 0, shownGroups = 0;
      groups.forEach(function (group) {
        var inCloud = !cloud || Object.prototype.hasOwnProperty.call(group.clouds, cloud);
        var shown = 0;
        group.lists.forEach(function (list) {
          var left = 0;
          list.rows.forEach(function (row) {
            var ok = inCloud && words.every(function (word) {
              return group.text.indexOf(" " + word) >= 0 || row.text.indexOf(" " + word) >= 0;
            });
            row.element.hidden = !ok;
            if (ok) left += 1;
          });
          list.element.hidden = !left;
          shown += left;
        });
        group.element.hidden = !shown;
        tocEntries(group).forEach(function (entry) { entry.hidden = !shown; });
        rows += shown;
        if (shown) shownGroups += 1;
      });
      count.textContent = rows === total
        ? plural(total, "situation") + " in " + plural(groups.length, "architecture")
        : rows + " of " + plural(total, "situation") + " in " + shownGroups + " of " + plural(groups.length, "architecture");
    }

    text.addEventListener("input", apply);
    facet.addEventListener("change", apply);
    apply();
  }

  function start() {
    // Material's search overlay is a dialog without a name; screen readers announce it as "Search".
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
    Array.prototype.forEach.call(document.querySelectorAll(".pb-filterable"), enhanceTable);
    Array.prototype.forEach.call(document.querySelectorAll(".pb-matrix__frame"), enhanceMatrix);
    Array.prototype.forEach.call(document.querySelectorAll(".pb-guide"), enhanceGuide);
    Array.prototype.forEach.call(document.querySelectorAll(".pb-kit"), enhanceKit);
    Array.prototype.forEach.call(document.querySelectorAll("object.pb-diagram"), enhanceDiagram);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
