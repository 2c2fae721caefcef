"""Sales flows on top of the conversation engine: the AI closer (flow 11)."""
