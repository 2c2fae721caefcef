"""Meta channel webhooks (WhatsApp, Instagram, Messenger): signature check and parsing.

Pure functions, no database: `verify_signature` on the raw bytes, then `parse_delivery`
on the JSON body gives the ChannelEvents that `ingestion.landing` writes.
"""

from ingestion.meta.dispatch import parse_delivery
from ingestion.meta.events import ChannelEvent, MetaPayloadError
from ingestion.meta.signature import sign, verify_signature

__all__ = ["ChannelEvent", "MetaPayloadError", "parse_delivery", "sign", "verify_signature"]
