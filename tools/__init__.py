"""The book's maintenance tools, a package imported by name (``python -m tools.nbtool``, ``from tools import book``).

``book`` holds the book's facts and its numbered pages; ``nbtool`` maintains the chapter
notebooks; ``reader_notebooks`` writes notebooks/; ``check_tag`` and ``release`` check and
make a release; ``pdf`` prints the book. They are run from the repository's root, which is
then on ``sys.path`` (``python -m``; pytest run as ``python -m pytest``; the Sphinx build,
through ``_config.yml``'s ``local_extensions``). They are not part of the package ``backprop``.
"""
