"""The Telegram channel, on python-telegram-bot's `Bot` (no Application, no PTB state).

ingest (the AN-01 whitelist) -> handler (engine input, conversation service, replies)
-> render (Say -> sendMessage or editMessageText) -> outbox (sealed rows committed with
the step) -> sender (per-chat queues, pacing, retries, then the row deleted). Updates
arrive by polling or webhook; channel builds and runs the lot for the composition root.
"""
