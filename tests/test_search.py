"""The built site's search page, used as a reader uses it (issue 25, item 4; ``_ext/booksearch.py``).

Queries are typed into the search page's box in Chromium, and the listed results are read:

- every snippet quotes the page's text: none holds a label of the page's controls (the
  header's buttons, the in-page "Contents" box, a "Show code cell source" fold);
- every page is listed once;
- a page whose own title holds the query comes first ("softmax" lists "9. Softmax and
  cross-entropy" first, "jacobian" lists "3. The Jacobian" first).
"""

import re

import pytest

pytestmark = [pytest.mark.site, pytest.mark.browser]

QUERIES = ["softmax", "jacobian", "hadamard", "gradient", "cross entropy", "mini-batches", "bias"]
FIRST = {"softmax": "9. Softmax and cross-entropy", "jacobian": "3. The Jacobian"}

#: The labels of a page's controls, read from the page itself (text that a snippet must not quote).
LABELS = """async (url) => {
  const page = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
  const texts = [...page.querySelectorAll(
      ".bd-header-article button, .bd-header-article a, .onthispage, details.hide > summary")]
    .flatMap((el) => el.innerText !== undefined ? el.textContent.split("\\n") : [])
    .map((t) => t.replace(/\\s+/g, " ").trim()).filter((t) => t.length >= 3);
  return [...new Set(texts)];
}"""

RESULTS = """() => [...document.querySelectorAll("#search-results li")].map((li) => ({
  title: li.querySelector("a").textContent.replace(/\\s+/g, " ").trim(),
  href: li.querySelector("a").getAttribute("href"),
  snippet: (li.querySelector("p.context") || {textContent: ""}).textContent.replace(/\\s+/g, " ").trim(),
}))"""


def search(page, book_url, query):
    """Type ``query`` into the search page's box, submit it, and return the listed results."""
    page.goto(f"{book_url}/search.html", wait_until="load")
    box = page.locator("#search-results").locator("xpath=ancestor::*[.//input[@name='q']][1]") \
        .locator("input[name='q']").first
    box.fill(query)
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    page.wait_for_function("() => /finished|did not match/.test("
                           "document.querySelector('#search-results .search-summary')?.innerText || '')")
    n = page.locator("#search-results li").count()
    page.wait_for_function(f"() => document.querySelectorAll('#search-results li p.context').length >= {n}")
    return page.evaluate(RESULTS)


@pytest.fixture(scope="module")
def results(chromium, book_url):
    page = chromium.new_page()
    found = {query: search(page, book_url, query) for query in QUERIES}
    labels = {}
    for listed in found.values():
        for result in listed:
            doc = result["href"].split("#")[0]
            if doc not in labels:
                labels[doc] = page.evaluate(LABELS, f"{book_url}/{doc}")
    page.close()
    return found, labels


@pytest.mark.parametrize("query", QUERIES)
def test_snippets_quote_the_page_not_its_controls(results, query):
    found, labels = results
    assert found[query], f"no result for {query!r}"
    assert any(label == "Contents" for page in labels.values() for label in page), "the label check reads no labels"
    bad = []
    for result in found[query]:
        assert result["snippet"], f"{result['title']}: no snippet"
        page_labels = labels[result["href"].split("#")[0]]
        bad += [f"{result['title']}: {label!r} in {result['snippet'][:100]!r}"
                for label in page_labels if label in result["snippet"]]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("query", QUERIES)
def test_every_page_is_listed_once(results, query):
    found, _ = results
    pages = [r["href"].split("#")[0] for r in found[query]]
    twice = sorted({p for p in pages if pages.count(p) > 1})
    assert not twice, f"{query!r}: listed more than once: {twice}"
    titles = [re.sub(r" > .*", "", r["title"]) for r in found[query]]
    assert len(titles) == len(set(titles)), f"{query!r}: a title listed twice: {titles}"


def title_words(title):
    return re.sub(r"^[0-9A-Z]+(\.[0-9]+)*\.\s+", "", title).lower()


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_whose_title_matches_comes_first(results, query):
    found, _ = results
    titles = [r["title"] for r in found[query]]
    words = query.lower().split()
    matching = [t for t in titles if all(w in title_words(t) for w in words)]
    if query in FIRST:
        assert titles[0] == FIRST[query], titles[:5]
    if matching:   # every page whose title matches comes before every page whose title does not
        assert titles[:len(matching)] == matching, titles[:len(matching) + 2]
        assert " > " not in titles[0], f"the page, not one of its sections, comes first: {titles[0]!r}"


def test_only_the_search_page_loads_the_index():
    """The theme's every-page search tools are dropped (``_ext/booksearch.py``); the search page keeps them."""
    from pathlib import Path

    html = Path(__file__).resolve().parents[1] / "_build" / "html"
    assert "searchindex.js" in (html / "search.html").read_text(encoding="utf-8")
    pages = sorted((html / "chapters").glob("*.html"))
    assert len(pages) >= 20
    loading = [p.name for p in pages if "searchindex.js" in p.read_text(encoding="utf-8")]
    assert not loading, f"these pages still load the search index: {loading}"
