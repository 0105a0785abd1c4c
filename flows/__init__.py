"""The conversation engine: question sets as data, and a pure `step` function.

Nothing here does I/O or imports a framework, SQL or HTTP library (a test walks the imports).
Channels (`bot/`, the web chat) turn their events into `flows.inputs` values, call
`flows.engine.step`, render the `flows.events.Say` messages and hand the effect events to
the conversation service, which owns storage.
"""
