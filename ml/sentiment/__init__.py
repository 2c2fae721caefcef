"""The sentiment model: a score in -1..1 and a label for a chat message."""
