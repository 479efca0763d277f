# Two commands set everything up on a fresh machine with Python 3.11, pip and make:
#
#   make book   creates .venv, installs requirements.txt and the package, builds the book strictly
#   make test   installs the test requirements and Chromium, builds the book, runs every test;
#               any skipped test fails it
#
# The inner loop for every change (README, "Contributing"):
#
#   make check  the unit layer of the tests (package, figures, tools, structure) on every core, with
#               no built book, no PyTorch and no browser: about a minute on two cores
#
# Other targets: make bench (performance report), make lint, make clean,
#   make release TAG=vX.Y.Z   tag the release the install cells install (tools/release.py).
#   make pdf (the whole book typeset as _build/pdf/book.pdf; make test builds it too).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: book check test bench lint clean chromium texlive release pdf

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Installs are redone only when the requirement files change.
$(VENV)/.book-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .
	touch $@

$(VENV)/.check-installed: requirements-check.txt $(VENV)/.book-installed
	$(PIP) install -q -r requirements-check.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.check-installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

# The strict build: every notebook executed, any warning or cell error fails it.
book: $(VENV)/.book-installed
	@mkdir -p _build
	$(BIN)/jupyter-book build . --all -W -n --keep-going 2>&1 | tee _build/build.log
	@if grep -q "WARNING" _build/build.log; then echo "make book: the build log has warnings" >&2; exit 1; fi
	@touch _build/.built
	@echo "make book: built _build/html with no warnings"

# make test needs a build that is newer than every source of the book and than the
# environment it ran in: installing the test requirements (PyTorch among them) changes
# what a chapter may print, so it makes the build stale.
BOOK_SOURCES := $(wildcard _config.yml _toc.yml chapters/*.ipynb images/* tools/book.py) \
                $(shell find _ext -type f -not -path '*/__pycache__/*') \
                $(shell find code/backprop -name '*.py' -o -name '*.json' -o -name '*.js' -o -name '*.css') \
                requirements.txt pyproject.toml
PDF := _build/pdf/book.pdf
# (the site offers the PDF on its download button: a newer PDF makes the site stale too)
_build/.built: $(BOOK_SOURCES) $(VENV)/.dev-installed $(PDF)
	$(MAKE) book

# The book as one PDF, typeset as a book: Sphinx's LaTeX builder (as strict as the site's
# build; _ext/latexbook.py gives it a book's parts and page), then XeLaTeX through latexmk
# (Sphinx's Makefile in _build/latex) from Debian's TeX Live. An HTML build made after it
# offers it on the download button (_ext/pdflink.py).
pdf: $(PDF)
$(PDF): $(BOOK_SOURCES) $(wildcard _ext/latex/*) $(VENV)/.dev-installed | texlive
	@mkdir -p _build/pdf
	rm -rf _build/latex
	$(BIN)/jupyter-book build . --all --builder latex -W -n --keep-going 2>&1 | tee _build/pdf/build.log
	@if grep -q "WARNING" _build/pdf/build.log; then echo "make pdf: the build log has warnings" >&2; exit 1; fi
	LATEXOPTS="-interaction=nonstopmode -halt-on-error" $(MAKE) -C _build/latex all-pdf > _build/pdf/latex.log 2>&1 \
	  || { tail -40 _build/pdf/latex.log; grep -A8 '^!' _build/latex/book.log >&2; exit 1; }
	cp _build/latex/book.pdf $@
	cp _build/latex/book.log _build/pdf/book.log
	@echo "make pdf: wrote $@"

# Debian's TeX Live for the PDF: XeLaTeX, latexmk, the LaTeX packages Sphinx uses, and the fonts
# of _ext/latexbook.py (FreeSerif for the text, DejaVu Sans Mono for code).
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk lmodern \
                fonts-freefont-otf fonts-dejavu-core
texlive:
	@if ! command -v xelatex >/dev/null 2>&1 || ! command -v latexmk >/dev/null 2>&1 \
	    || ! kpsewhich fncychap.sty >/dev/null 2>&1 || ! fc-list | grep -q FreeSerif \
	    || ! fc-list | grep -q "DejaVu Sans Mono"; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "installing Debian's TeX Live ($(TEX_PACKAGES))"; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(TEX_PACKAGES) >/dev/null; \
	fi
	@xelatex --version | head -1

# Debian's Chromium for the browser tests (no test tool may download its own browser).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "installing Debian's chromium"; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi
	@chromium --version

# One lint command for the package, the tests, the tools and the chapters' code cells.
LINT := $(BIN)/ruff check code tests tools _ext chapters

# The unit layer (tests/conftest.py) less its slow tests (make test runs those), on every core.
# torch and playwright cannot even be imported, whatever .venv holds, so that nothing in this
# layer can come to need them.
check: $(VENV)/.check-installed
	BACKPROP_FORBID_IMPORTS=torch,playwright $(BIN)/python -m pytest -m "unit and not slow" -n auto -q

# Every layer; BACKPROP_NO_SKIP=1 turns any skip into a failure, so that nothing can hide.
test: $(VENV)/.dev-installed chromium _build/.built $(PDF)
	$(LINT)
	BACKPROP_NO_SKIP=1 $(BIN)/python -m pytest

bench: $(VENV)/.dev-installed
	$(BIN)/python -m backprop.bench

# Refuses unless the tree is clean, backprop.__version__ is X.Y.Z and every notebook's
# install cell (chapters/ and notebooks/) installs vX.Y.Z; then creates the tag.
release: $(VENV)/.book-installed
	@test -n "$(TAG)" || { echo "usage: make release TAG=vX.Y.Z" >&2; exit 2; }
	$(BIN)/python -m tools.release $(TAG) $(if $(PUSH),--push,)

lint: $(VENV)/.dev-installed
	$(LINT)

clean:
	rm -rf _build build dist code/*.egg-info .pytest_cache .ruff_cache .hypothesis
