"""The WhatsApp channel (Cloud API, Graph v23.0), on a thin client over httpx.

webhook (signature, then ingest: the AN-01 whitelist) -> handler (engine input, the
conversation service, the same as Telegram's) -> render (Say -> text, reply buttons or a
list) -> outbox (sealed rows committed with the step, in the shared outbox table) ->
sender (per-recipient queues, pacing, Graph error codes). channel builds the lot.
"""
