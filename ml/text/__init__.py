"""Short chat text: the owned labelled corpus, its variations and the shared features."""
