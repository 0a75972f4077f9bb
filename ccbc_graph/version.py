"""The extractor version recorded in every plan graph's provenance."""

__version__ = "0.7.14"
