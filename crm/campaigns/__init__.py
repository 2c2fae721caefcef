"""Flows that write to leads first: nurturing, cart recovery, payment reminders (issue 6)."""
