"""Delivery shared by the chat channels: send pacing, the per-recipient sender and the
outbox loop. A channel supplies only how to send one message and what its errors mean."""
