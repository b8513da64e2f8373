/* `playbook serve` only: the catalog's errors at the top of every page while the latest generation failed.
   hooks/serve_errors.py adds this script to the served site, beside errors.json, which is the file each
   generation records its errors in: read every second, it shows the banner as soon as a generation fails
   and removes it as soon as one passes. No built site holds either file. Messages quote catalog content,
   so every one is set as text, never as markup. */
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  const source = new URL("errors.json", script.src);
  const DISMISSED = "pb-serve-errors-dismissed";
  let shown = null;  /* the errors file's text the page shows, or null */

  function element(tag, text, style) {
    const node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    if (style) {
      node.style.cssText = style;
    }
    return node;
  }

  function dismissed(text) {
    try {
      return window.sessionStorage.getItem(DISMISSED) === text;
    } catch (error) {
      return false;
    }
  }

  function dismiss(text) {
    try {
      window.sessionStorage.setItem(DISMISSED, text);
    } catch (error) {
      /* a browser without storage shows the banner again on the next page */
    }
  }

  function item(diagnostic) {
    const entry = element("li", "", "margin: 0.3em 0");
    entry.append(element("code", `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`),
                 ` ${diagnostic.severity}: ${diagnostic.path ? `${diagnostic.path}: ` : ""}${diagnostic.message}`);
    if (diagnostic.hint) {
      entry.append(element("br"), element("span", `hint: ${diagnostic.hint}`));
    }
    return entry;
  }

  function banner(errors, text) {
    const aside = element("aside", "", "position: relative");
    aside.className = "md-banner md-banner--warning pb-serve-errors";
    aside.setAttribute("aria-label", "Catalog errors");
    const inner = element("div", "", "padding-right: 5em");
    inner.className = "md-banner__inner md-grid md-typeset";
    const lead = element("p", "", "margin: 0");
    lead.append(element("strong", `The catalog has ${errors.length === 1 ? "1 error" : `${errors.length} errors`}.`),
                " This page shows the last generation that passed; it reloads once the errors are fixed.");
    const list = element("ul", "", "list-style: none; margin: 0.4em 0 0; padding: 0; max-height: 40vh; overflow: auto");
    list.append(...errors.map(item));
    const close = element("button", "Dismiss", "position: absolute; top: 0.4em; right: 0.6em; padding: 0.4em; " +
                          "font: inherit; text-decoration: underline; cursor: pointer; color: inherit");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss the catalog errors");
    close.addEventListener("click", function () {
      dismiss(text);
      aside.remove();
    });
    inner.append(lead, list);
    aside.append(inner, close);
    return aside;
  }

  function update(text) {
    if (text === shown) {
      return;
    }
    shown = text;
    document.querySelectorAll(".pb-serve-errors").forEach(function (old) { old.remove(); });
    const errors = JSON.parse(text).errors;
    if (Array.isArray(errors) && errors.length > 0 && !dismissed(text)) {
      document.body.prepend(banner(errors, text));
    }
  }

  function poll() {
    fetch(source, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text !== null) {
          update(text);
        }
      })
      .catch(function () { /* the server is restarting or rebuilding: ask again */ })
      .finally(function () { window.setTimeout(poll, 1000); });
  }

  poll();
})();
