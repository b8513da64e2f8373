/* The playbook's search: Pagefind's Component UI, loaded from the site's own pagefind/ folder (written after
   each build), so it works offline and each edition searches only its own pages. The search box sits where
   Material puts its own, opens with "/" and keeps Pagefind's keyboard navigation; results show each entry's
   kind, status and summary, with filters for kind, status, owner, tag and cloud. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var root = new URL("../", script.src); // assets/search.js sits one folder below the site's root
  var bundle = new URL("pagefind/", root);

  var FILTERS = [["kind", "Kind"], ["status", "Status"], ["owner", "Owner"], ["tag", "Tag"], ["cloud", "Cloud"]];

  var RESULT = [
    '<li class="pf-result">',
    '  <div class="pf-result-card"><div class="pf-result-content">',
    '    <p class="pf-result-title"><a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">{{ meta.title | default("Untitled") }}</a></p>',
    '    {{#if meta.kind}}<p class="pb-search-facts">{{ meta.kind }}{{#if meta.status}} · {{ meta.status }}{{/if}}</p>{{/if}}',
    '    {{#if meta.summary}}<p class="pb-search-summary">{{ meta.summary }}</p>{{/if}}',
    '    {{#if excerpt}}<p class="pf-result-excerpt">{{+ excerpt +}}</p>{{/if}}',
    "  </div></div>",
    "</li>"
  ].join("\n");

  function element(name, attributes) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function template(html, kind) {
    var node = element("script", { type: "text/pagefind-template" });
    if (kind) node.setAttribute("data-template", kind);
    node.textContent = html;
    return node;
  }

  function modal() {
    var dialog = element("pagefind-modal", { "reset-on-close": "false" });
    var header = element("pagefind-modal-header");
    header.append(element("pagefind-input", { placeholder: "Search the playbook", debounce: "100" }));
    var body = element("pagefind-modal-body");
    var filters = element("div", { class: "pb-search-filters", role: "group", "aria-label": "Filter the results" });
    FILTERS.forEach(function (pair) {
      filters.append(element("pagefind-filter-dropdown", { filter: pair[0], label: pair[1], sort: "count-desc" }));
    });
    var results = element("pagefind-results", { "max-sub-results": "2", "max-results": "50" });
    results.append(template(RESULT));
    body.append(filters, element("pagefind-summary"), results);
    var footer = element("pagefind-modal-footer");
    footer.append(element("pagefind-keyboard-hints"));
    dialog.append(header, body, footer);
    return dialog;
  }

  // Pagefind's filter buttons are comboboxes whose visible text gives them no accessible name: name each after
  // its filter and the number of values chosen, and again whenever the component redraws it.
  function nameFilters(dialog) {
    function name() {
      dialog.querySelectorAll("pagefind-filter-dropdown").forEach(function (dropdown) {
        var button = dropdown.querySelector(".pf-dropdown-trigger");
        if (!button) return;
        var badge = dropdown.querySelector(".pf-dropdown-selected-badge");
        var chosen = badge && badge.getAttribute("data-pf-hidden") !== "true" ? Number(badge.textContent) : 0;
        var label = dropdown.getAttribute("label") + " filter" + (chosen ? ", " + chosen + " chosen" : "");
        if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
      });
    }
    new MutationObserver(name).observe(dialog, { childList: true, subtree: true, characterData: true, attributes: true,
                                                 attributeFilter: ["data-pf-hidden"] });
  }

  function mount() {
    var header = document.querySelector(".md-header__inner");
    if (!header) return;
    // preload: the index's entry file and its search code load while the page settles, not when a reader types
    document.body.append(element("pagefind-config", { "bundle-path": bundle.pathname, "base-url": root.pathname,
                                                       preload: "" }));
    var place = element("div", { class: "pb-search" });
    var trigger = element("pagefind-modal-trigger", { shortcut: "/", placeholder: "Search" });
    // on a phone the box is its magnifier alone, as Material's own search is, so the page title keeps its room
    var narrow = window.matchMedia("(max-width: 59.984375em)");
    if (narrow.matches) trigger.setAttribute("compact", "");
    narrow.addEventListener("change", function () { trigger.toggleAttribute("compact", narrow.matches); });
    place.append(trigger);
    header.insertBefore(place, header.querySelector(".md-header__source"));
    var dialog = modal();
    document.body.append(dialog);
    nameFilters(dialog);
    // a page may ask for a search box of its own (the 404 page does)
    document.querySelectorAll("[data-pb-search-here]").forEach(function (here) {
      here.append(element("pagefind-modal-trigger", { placeholder: "Search the playbook", "hide-shortcut": "" }));
    });
    document.head.append(element("link", { rel: "stylesheet", href: new URL("pagefind-component-ui.css", bundle).href }));
    import(new URL("pagefind-component-ui.js", bundle).href).catch(function () {
      place.hidden = true; // a site built without its search index shows no search box
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
