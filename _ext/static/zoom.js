/* Tap to enlarge a figure whose text the column shrinks below 8 CSS px (issue 25, item 2).
 *
 * The book's figures are drawn with text of at least FONT_PX CSS pixels at their natural
 * width (a 2x image shown at its 1x size, which its width attribute or inline style gives). A narrow
 * column (a phone) shows a wide figure shrunk; when the shrink brings that text under
 * MIN_TEXT_PX, the figure gets an "Enlarge" button and opens on a tap in a full-screen view
 * at its natural width, where its text is FONT_PX again (the view scrolls sideways when the
 * figure is wider than the screen; the 2x image stays sharp under a pinch). A slider figure
 * (.bp-explorer) moves into the view whole, so that its sliders still work there, and goes
 * back to its place on closing (button, Escape, or a tap beside the figure).
 *
 * FONT_PX is backprop.figures.style.FONT_PT at 80 dpi (10.5 pt = 11.67 px);
 * tests/test_figure_phone.py checks that the two agree.
 */
(function () {
  "use strict";
  var FONT_PX = 11.67;
  var MIN_TEXT_PX = 8;
  var SELECTOR = ".bd-content figure img, .bd-content div.cell_output img, " +
                 ".bd-content .bp-explorer img.bp-frame";

  /* The 1x width: the width attribute (slider frames) or Sphinx's inline style width
     (static figures); an image without either is shown at one image pixel per CSS px. */
  function naturalWidth(img) {
    var w = parseFloat(img.getAttribute("width"));
    if (!(w > 0) && /px$/.test(img.style.width)) w = parseFloat(img.style.width);
    return w > 0 ? w : img.naturalWidth;
  }

  function shownWidth(img) {
    var style = getComputedStyle(img);
    return img.getBoundingClientRect().width - parseFloat(style.borderLeftWidth || 0) -
      parseFloat(style.borderRightWidth || 0) - parseFloat(style.paddingLeft || 0) -
      parseFloat(style.paddingRight || 0);
  }

  /* The smallest text of the image as shown, in CSS px. */
  function textPx(img) {
    var natural = naturalWidth(img);
    return natural > 0 ? FONT_PX * Math.min(1, shownWidth(img) / natural) : FONT_PX;
  }

  var view = null, opened = null;

  function close() {
    if (!view) return;
    if (opened.explorer) {
      opened.placeholder.parentNode.replaceChild(opened.explorer, opened.placeholder);
    }
    view.remove();
    document.documentElement.classList.remove("bp-zoom-open");
    var back = opened.img;
    view = null;
    opened = null;
    document.removeEventListener("keydown", onKey, true);
    if (back && back.focus) back.focus({preventScroll: true});
  }

  function onKey(event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  }

  function open(img) {
    if (view) close();
    var natural = naturalWidth(img);
    view = document.createElement("div");
    view.className = "bp-zoom";
    view.setAttribute("role", "dialog");
    view.setAttribute("aria-modal", "true");
    view.setAttribute("aria-label", "Enlarged figure");
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "bp-zoom-close";
    shut.setAttribute("aria-label", "Close the enlarged figure");
    shut.textContent = "\u00d7";
    shut.addEventListener("click", close);
    var stage = document.createElement("div");
    stage.className = "bp-zoom-stage";
    stage.style.width = natural + "px";
    opened = {img: img, explorer: null, placeholder: null};
    var explorer = img.closest(".bp-explorer");
    if (explorer) {
      var placeholder = document.createElement("div");
      placeholder.className = "bp-zoom-placeholder";
      placeholder.style.height = explorer.getBoundingClientRect().height + "px";
      explorer.parentNode.replaceChild(placeholder, explorer);
      stage.appendChild(explorer);
      opened.explorer = explorer;
      opened.placeholder = placeholder;
    } else {
      var copy = img.cloneNode(false);
      copy.removeAttribute("id");
      copy.className = "bp-zoom-image";
      stage.appendChild(copy);
    }
    view.appendChild(shut);
    view.appendChild(stage);
    view.addEventListener("click", function (event) {
      if (event.target === view || event.target.classList.contains("bp-zoom-image")) close();
    });
    document.body.appendChild(view);
    document.documentElement.classList.add("bp-zoom-open");
    document.addEventListener("keydown", onKey, true);
    shut.focus({preventScroll: true});
  }

  function button(img) {
    var next = img.nextElementSibling;
    return next && next.classList.contains("bp-zoom-button") ? next : null;
  }

  /* Mark (or unmark) every figure by its text size as shown now. */
  function mark() {
    var images = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < images.length; i++) {
      var img = images[i];
      if (img.closest(".bp-zoom")) continue;
      var small = img.getBoundingClientRect().width > 0 && textPx(img) < MIN_TEXT_PX;
      img.classList.toggle("bp-zoomable", small);
      var b = button(img);
      if (small && !b) {
        b = document.createElement("button");
        b.type = "button";
        b.className = "bp-zoom-button";
        b.textContent = "\u2922 Enlarge";
        b.setAttribute("aria-label", "Enlarge the figure: " + (img.alt || "figure"));
        img.insertAdjacentElement("afterend", b);
      } else if (!small && b) {
        b.remove();
      }
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest(".bp-zoom")) return;
    if (target.classList.contains("bp-zoom-button")) {
      event.preventDefault();
      open(target.previousElementSibling);
    } else if (target.matches("img.bp-zoomable")) {
      event.preventDefault();
      open(target);
    }
  });

  var pending = 0;
  function later() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(mark);
  }
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.bpZoom = {mark: mark, open: open, close: close, textPx: textPx};
})();
