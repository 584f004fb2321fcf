"""Parsing: a Source's text is normalised, split into lines and parsed by the Lark grammar into the
plan AST (dataclasses with spans)."""
