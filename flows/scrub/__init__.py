"""Offline PII scrubbing of free text before it is stored (AN-14 to AN-17)."""
