// Added to the search page by _ext/booksearch.py (issue 25, item 4). Sphinx's searchtools.js
// is kept; two of its functions are wrapped:
// - Search.htmlToText: a snippet is cut from the page's article only, without the header's
//   buttons, the in-page "Contents" box, the previous/next links and any button or
//   "Show code cell source" label, so that it quotes the page's text.
// - Search._performSearch: every page is listed once (its best entry), and a page whose own
//   title contains every word of the query comes first, the shorter such title first.
(() => {
  if (typeof Search === "undefined") return;

  // Elements of the article whose text is a control's label, or hidden until a click (the
  // folded code cells), not the page's text.
  const LABELS = [
    "details.hide", "button", "summary", "label", "input", "select", "textarea",
    ".headerlink", ".copybtn", ".toggle-button", "script", "style", "noscript",
  ];
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const main = page.querySelector('[role="main"]');
    const article = main && main.querySelector("article.bd-article");
    if (article) main.replaceChildren(article);   // no header buttons, contents box or footer
    if (main) LABELS.forEach((selector) => main.querySelectorAll(selector).forEach((el) => el.remove()));
    // An index entry's anchor is an empty target (<span id="index-2">): quote the page instead
    // (Sphinx would quote nothing, and its snippet code then fails on the missing text).
    const target = anchor && main ? main.querySelector(anchor) : null;
    const quoted = target && !target.textContent.trim() ? "" : anchor;
    return htmlToText(page.documentElement.outerHTML, quoted);
  };

  const plain = (html) => {
    const el = document.createElement("span");
    el.innerHTML = html;
    return el.textContent.replace(/\s+/g, " ").trim();
  };
  // "3. The Jacobian" -> "the jacobian" (the section number is not part of the title's words)
  const titleWords = (html) => plain(html).replace(/^[0-9A-Z]+(\.[0-9]+)*\.\s+/, "").toLowerCase();
  // How well a page's own title matches the query: 0 when a query word is missing from it,
  // else in (0, 1], the share of the title that the query's words cover.
  const titleMatch = (html, words) => {
    const title = titleWords(html);
    if (!words.length || !words.every((w) => title.includes(w))) return 0;
    return Math.min(1, words.join("").length / title.replace(/\s+/g, "").length);
  };
  window.bookSearchTitleMatch = titleMatch;   // for tests/test_search.py

  const TITLE_FIRST = 1000000;   // above any score searchtools.js gives
  const performSearch = Search._performSearch;
  Search._performSearch = (query, searchTerms, excludedTerms, highlightTerms, objectTerms) => {
    // searchtools.js returns the results worst first (it displays them with pop()).
    const results = performSearch(query, searchTerms, excludedTerms, highlightTerms, objectTerms);
    const index = Search._index;
    const words = query.toLowerCase().split(/\s+/).filter((w) => w && !w.startsWith("-"));
    const fileOf = new Map(index.docnames.map((doc, file) => [doc, file]));
    const ranked = results.slice().reverse().map((result, order) => {
      const file = fileOf.get(result[0]);
      const match = file === undefined ? 0 : titleMatch(index.titles[file], words);
      return {result, order, rank: match ? TITLE_FIRST * (1 + match) : result[4]};
    });
    // A page whose title matches is listed even if no other entry of it was found.
    const found = new Set(results.map((r) => r[0]));
    index.docnames.forEach((doc, file) => {
      const match = titleMatch(index.titles[file], words);
      if (match && !found.has(doc)) {
        ranked.push({result: [doc, index.titles[file], "", null, 0, index.filenames[file]],
                     order: ranked.length, rank: TITLE_FIRST * (1 + match)});
      }
    });
    ranked.sort((a, b) => b.rank - a.rank || a.order - b.order);
    const seen = new Set();
    const once = [];
    for (const {result, rank} of ranked) {
      if (seen.has(result[0])) continue;   // the page's best entry only
      seen.add(result[0]);
      // Its own title matches: the entry is the page itself, not one of its sections.
      if (rank >= TITLE_FIRST && result[2]) {
        const file = fileOf.get(result[0]);
        once.push([result[0], index.titles[file], "", null, result[4], result[5]]);
      } else once.push(result);
    }
    return once.reverse();
  };
})();
