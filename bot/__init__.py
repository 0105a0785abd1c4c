"""Channels: turn a platform's events into engine inputs and engine replies into messages.

`conversation` is the one service every channel calls; `terminal` and `telegram` are thin
translators around it.
"""
