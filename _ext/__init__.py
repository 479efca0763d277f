"""The book's local Sphinx extensions, loaded as ``_ext.NAME`` (``_config.yml``, ``sphinx: local_extensions``)."""
