"""Comments on the business's Instagram and Facebook posts (flow 17): classified, then
answered in public or in private, hidden, or escalated, through the outbox."""
