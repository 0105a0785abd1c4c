"""The web chat: the check-in on a plain web page, for young people without Telegram."""
