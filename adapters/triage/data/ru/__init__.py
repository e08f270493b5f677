"""Data files of the triage adapter: a package so that setuptools ships them."""
