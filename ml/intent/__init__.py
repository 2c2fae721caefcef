"""The intent model: which of the 11 intents a chat message expresses, with a confidence."""
