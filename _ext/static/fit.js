/* Wide content on a narrow screen (issue 25, item 1): what does not fit says so, code keeps
 * its indentation, and the page-contents drawer closes after a tap.
 *
 * 1. Every box of the article that scrolls sideways (a display equation, a table, a block of
 *    code or output) and is wider than its column gets the classes bp-cut-right and/or
 *    bp-cut-left while more of it is hidden on that side; fit.css fades that edge. The
 *    classes follow the box's scrolling and its size (a ResizeObserver: a window that turns,
 *    a dropdown that opens, MathJax that typesets).
 * 2. Each line of a block of code or output is wrapped in <span class="bp-line"> with its
 *    indentation as --bp-indent; on a phone fit.css wraps a long line with a hanging indent,
 *    so its continuation starts right of the line's own indentation. Only spans are added:
 *    the block's text (what the copy button copies) is unchanged.
 * 3. A dotted name of code in a table gets a break opportunity after each "." (and after
 *    "_": see nameParts), so that the table's columns can narrow
 *    (losses.softmax_cross_entropy_grad). On a phone, a table still wider than the column
 *    becomes one card per row (fit.css), each cell under its column's heading.
 * 4. A tap on an entry of the page-contents or chapter-list drawer (a modal dialog on a
 *    narrow screen) closes the drawer, so the reader sees the section the entry names.
 *
 * tests/test_phone.py measures the result at 390 and 1280 px.
 */
(() => {
  "use strict";

  const SCROLLERS = [
    'main mjx-container[display="true"]',
    "main div.math",
    "main .pst-scrollable-table-container",
    "main div.highlight pre",
    "main div.cell_output pre",
    "main div.cell_output div.output",
  ].join(", ");
  const CODE = "main div.highlight pre, main div.cell_output pre";

  // -- 1. the cue on boxes cut at an edge ------------------------------------------------------
  function scrolls(el) {
    const x = getComputedStyle(el).overflowX;
    return x === "auto" || x === "scroll";
  }

  function cue(el) {
    const hidden = el.scrollWidth - el.clientWidth;
    const cut = hidden > 1 && el.clientWidth > 0 && scrolls(el);
    el.classList.toggle("bp-cut-left", cut && el.scrollLeft > 1);
    el.classList.toggle("bp-cut-right", cut && el.scrollLeft < hidden - 1);
  }

  function mark(el) {
    if (el.classList.contains("pst-scrollable-table-container")) fitTable(el);
    cue(el);
  }

  const observed = new WeakSet();
  const resized = new ResizeObserver((entries) => entries.forEach((e) => mark(e.target)));

  function watch(root) {
    root.querySelectorAll(SCROLLERS).forEach((el) => {
      if (!observed.has(el)) {
        observed.add(el);
        el.addEventListener("scroll", () => cue(el), { passive: true });
        resized.observe(el);
        // The content can grow while the box does not (MathJax typesets inside it).
        if (el.firstElementChild) resized.observe(el.firstElementChild);
      }
      mark(el);
    });
  }

  // -- 2. one span per line of code, with its indentation --------------------------------------
  function wrapped(text, parents) {
    let node = document.createTextNode(text);
    for (let k = parents.length - 1; k >= 0; k--) {
      const shell = parents[k].cloneNode(false);
      shell.appendChild(node);
      node = shell;
    }
    return node;
  }

  function collect(node, parents, lines) {
    if (node.nodeType === Node.TEXT_NODE) {
      node.data.split("\n").forEach((part, k) => {
        if (k > 0) lines.push([]);
        if (part) lines[lines.length - 1].push(wrapped(part, parents));
      });
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      node.childNodes.forEach((kid) => collect(kid, [...parents, node], lines));
    }
  }

  function splitLines(pre) {
    if (pre.dataset.bpLines) return;
    pre.dataset.bpLines = "1";
    const lines = [[]];
    pre.childNodes.forEach((kid) => collect(kid, [], lines));
    const out = document.createDocumentFragment();
    lines.forEach((nodes, k) => {
      if (k > 0) out.appendChild(document.createTextNode("\n"));
      if (!nodes.length) return;
      const line = document.createElement("span");
      line.className = "bp-line";
      nodes.forEach((n) => line.appendChild(n));
      const indent = line.textContent.match(/^[ \t]*/)[0].replace(/\t/g, "    ").length;
      if (indent) line.style.setProperty("--bp-indent", `${indent}ch`);
      out.appendChild(line);
    });
    pre.replaceChildren(out);
  }

  // -- 3. names of code in tables break after "." and "_" --------------------------------------
  // A part of a dotted name, cut after its underscores: every one on a phone; on a wider
  // screen only a part longer than LONG characters, once, at the underscore nearest its middle
  // (softmax_cross_ | entropy_grad), so that its column does not narrow to a word's width.
  const LONG = 20;

  function nameParts(part) {
    const pieces = part.split(/(?<=_)(?=[^_\s])/);
    if (PHONE.matches || pieces.length < 2) return pieces;
    if (part.length <= LONG) return [part];
    let best = 0, at = 0;
    for (let k = 0; k < pieces.length - 1; k++) {
      at += pieces[k].length;
      if (Math.abs(at - part.length / 2) < Math.abs(best - part.length / 2)) best = at;
    }
    return [part.slice(0, best), part.slice(best)];
  }

  function breakNames(root) {
    root.querySelectorAll("main table code").forEach((code) => {
      if (code.dataset.bpBreaks) return;
      code.dataset.bpBreaks = "1";
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      texts.forEach((t) => {
        const parts = t.data.split(/(?<=[.])(?=[^.\s])/).flatMap(nameParts);
        if (parts.length < 2) return;
        const frag = document.createDocumentFragment();
        parts.forEach((p, k) => {
          if (k > 0) frag.appendChild(document.createElement("wbr"));
          frag.appendChild(document.createTextNode(p));
        });
        t.replaceWith(frag);
      });
    });
  }

  // -- 3b. on a phone, a table wider than the column becomes a stack of cards ------------------
  const PHONE = window.matchMedia("(max-width: 575.98px)");

  function labelCells(table) {
    if (table.dataset.bpLabels) return;
    table.dataset.bpLabels = "1";
    const heads = table.tHead ? [...table.tHead.rows[0].cells] : [];
    [...table.tBodies].forEach((body) => [...body.rows].forEach((row) => {
      [...row.cells].forEach((cell, k) => {
        if (!cell.textContent.trim() && !cell.querySelector("img, mjx-container")) cell.classList.add("bp-empty");
        const head = heads[k];
        if (k === 0 || !head || !head.textContent.trim()) return;
        const label = document.createElement("span");
        label.className = "bp-label";
        label.setAttribute("aria-hidden", "true");
        head.childNodes.forEach((n) => label.appendChild(n.cloneNode(true)));
        cell.prepend(label);
      });
    }));
  }

  function fitTable(box) {
    const table = box.querySelector(":scope > table");
    if (!table) return;
    table.classList.remove("bp-stacked");
    if (PHONE.matches && table.scrollWidth > box.clientWidth + 1) {
      labelCells(table);
      table.classList.add("bp-stacked");
    }
  }

  // -- 4. the drawers close after a tap on an entry --------------------------------------------
  function closeDrawers() {
    document.addEventListener("click", (event) => {
      const link = event.target.closest("a[href]");
      const dialog = link && link.closest("dialog#pst-secondary-sidebar-modal, dialog#pst-primary-sidebar-modal");
      if (!dialog || !dialog.open) return;
      // After the browser has followed the link: the theme's close handler moves the entries
      // back to the sidebar and returns the focus to the button.
      setTimeout(() => {
        if (!dialog.open) return;
        const target = link.hash && link.pathname === location.pathname
          ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
        dialog.close();
        if (target) target.scrollIntoView();
      }, 0);
    });
  }

  function start() {
    document.querySelectorAll(CODE).forEach(splitLines);
    breakNames(document);
    watch(document);
    closeDrawers();
    // MathJax typesets after this script runs: mark its displays again when it is done.
    const typeset = () => {
      const mj = window.MathJax;
      if (mj && mj.startup && mj.startup.promise) mj.startup.promise.then(() => watch(document));
    };
    typeset();
    window.addEventListener("load", () => { watch(document); typeset(); });
    document.addEventListener("toggle", () => watch(document), true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
