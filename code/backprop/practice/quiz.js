/* The book's self-check questions (backprop.practice.quiz): binds every
   .bp-quiz on the page once. Feedback is already in the page, hidden, so that
   the page's MathJax typesets it; this script only reveals it. Outside the
   book's site (Colab, classic Jupyter), where no MathJax is on the page, it
   loads MathJax once to typeset the question; on the site it never does. */
(function () {
  "use strict";
  function reveal(quiz, name, state) {
    var out = quiz.querySelector(".bp-quiz-feedback");
    var fb = quiz.querySelector('.bp-quiz-fb[data-fb="' + name + '"]');
    out.className = "bp-quiz-feedback bp-quiz-" + state;
    out.innerHTML = "";
    var mark = document.createElement("strong");
    mark.textContent = state === "right" ? "Right. " : (state === "partly" ? "Right, and there is more. " : "Not quite. ");
    out.appendChild(mark);
    var body = document.createElement("span");
    body.innerHTML = fb ? fb.innerHTML : "";
    out.appendChild(body);
    /* answered before the page's MathJax reached the hidden feedback: typeset the copy */
    if (window.MathJax && window.MathJax.typesetPromise && /\\\(/.test(body.textContent)) {
      window.MathJax.typesetPromise([body]);
    }
  }
  function choice(quiz) {
    var multiple = quiz.dataset.kind === "multiple";
    var buttons = quiz.querySelectorAll(".bp-quiz-option");
    var needed = 0;
    buttons.forEach(function (b) { if (b.dataset.correct === "true") { needed += 1; } });
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var right = b.dataset.correct === "true";
        if (!multiple) {
          buttons.forEach(function (o) {
            o.setAttribute("aria-pressed", "false");
            o.classList.remove("bp-quiz-right", "bp-quiz-wrong");
          });
        }
        b.setAttribute("aria-pressed", "true");
        b.classList.add(right ? "bp-quiz-right" : "bp-quiz-wrong");
        var found = quiz.querySelectorAll('.bp-quiz-right').length;
        var state = right ? ((multiple && found < needed) ? "partly" : "right") : "wrong";
        reveal(quiz, b.dataset.option, state);
      });
    });
  }
  function parse(text) {
    var s = text.trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    var m = s.match(/^([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)\/([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)$/i);
    if (m) { return parseFloat(m[1]) / parseFloat(m[2]); }
    if (!/^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[-+]?[0-9]+)?$/i.test(s)) { return NaN; }
    return parseFloat(s);
  }
  function numeric(quiz) {
    var box = quiz.querySelector(".bp-quiz-numeric");
    var input = quiz.querySelector(".bp-quiz-input");
    var key = parseFloat(box.dataset.key), tol = parseFloat(box.dataset.tol);
    function judge() {
      var x = parse(input.value);
      if (isNaN(x)) {
        var out = quiz.querySelector(".bp-quiz-feedback");
        out.className = "bp-quiz-feedback bp-quiz-wrong";
        out.textContent = "Enter a number, such as 0.25, 1/4 or -3e-2.";
        return;
      }
      if (Math.abs(x - key) <= tol) {
        input.classList.remove("bp-quiz-wrong"); input.classList.add("bp-quiz-right");
        reveal(quiz, "right", "right"); return;
      }
      input.classList.remove("bp-quiz-right"); input.classList.add("bp-quiz-wrong");
      var name = "other";
      quiz.querySelectorAll(".bp-quiz-fb[data-value]").forEach(function (fb) {
        if (name === "other" && Math.abs(x - parseFloat(fb.dataset.value)) <= tol) { name = fb.dataset.fb; }
      });
      reveal(quiz, name, "wrong");
    }
    quiz.querySelector(".bp-quiz-check").addEventListener("click", judge);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); judge(); }
    });
  }
  function typeset(quiz) {
    var pageMath = document.querySelector('script[src*="mathjax" i]') || window.MathJax;
    if (pageMath) { return; }            /* the book's site or Jupyter: their MathJax does it */
    if (!/\\\(/.test(quiz.textContent)) { return; }
    if (!window.bpQuizMathJax) {
      window.MathJax = { tex: { inlineMath: [["\\(", "\\)"]] }, startup: { typeset: false } };
      window.bpQuizMathJax = new Promise(function (done) {
        var s = document.createElement("script");
        s.src = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js";
        s.async = true;
        s.onload = function () { window.MathJax.startup.promise.then(done); };
        document.head.appendChild(s);
      });
    }
    window.bpQuizMathJax.then(function () { window.MathJax.typesetPromise([quiz]); });
  }
  document.querySelectorAll(".bp-quiz:not([data-bound])").forEach(function (quiz) {
    quiz.dataset.bound = "1";
    if (quiz.dataset.kind === "numeric") { numeric(quiz); } else { choice(quiz); }
    typeset(quiz);
  });
})();
