"""Disclosure detection: a phrase file and a detector that says which category matched."""
