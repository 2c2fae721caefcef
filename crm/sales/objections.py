"""Sales objections in what a customer wrote: price, timing, trust, competitor, need.

Bilingual (es / en) keyword rules on accent-folded text, like the conversation engine's
intent rules (`understanding.fold`): fixed, instant and explainable, so the closer's
decisions can be audited word by word. Each rule has strong and weak cues; a strong cue
alone is a confident objection, weak cues need company.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from crm.conversation.understanding import fold

KINDS = ("price", "timing", "trust", "competitor", "need")

# kind -> (strong cues, weak cues), both on folded text
RULES: dict[str, tuple[str, str]] = {
    "price": (
        r"\b((muy|demasiado|bastante|algo|un poco|tan|mas|sigue siendo) car[oa]s?|caros?|"
        r"carisim[oa]s?|too expensive|expensive|pricey|"
        r"no me alcanza|fuera de (mi )?presupuesto|over (my )?budget|can'?t afford|"
        r"no puedo pagar|descuento|discount|rebaja|mas barato|cheaper)\b",
        r"\b(precio|price|cuesta|costs?|presupuesto|budget|dinero|money)\b",
    ),
    "timing": (
        r"\b(no es (el )?momento|ahora no|mas adelante|despues|luego te (aviso|escribo)|"
        r"el (otro )?mes que viene|proximo mes|next month|not now|not right now|later|"
        r"maybe later|let me think|lo (voy a )?pienso|lo pensare|dejame pensarlo)\b",
        r"\b(todavia|aun|yet|tiempo|time|pronto|soon)\b",
    ),
    "trust": (
        r"\b(es confiable|son confiables|confiable|estafa|scam|legit|trust|confiar|"
        r"confianza|seguro que llega|reviews?|resenas|garantia real|is this real|"
        r"fraude|fraud)\b",
        r"\b(seguro|safe|garantia|warranty|real)\b",
    ),
    "competitor": (
        r"\b(en (otra|otro) (tienda|lado|sitio)|otra tienda|elsewhere|another (store|shop)|"
        r"amazon|mercado ?libre|temu|shein|la competencia|competitor|competencia|"
        r"mas barato en|cheaper (at|on|elsewhere)|lo vi (a|en)|i saw it (for|at|on))\b",
        r"\b(vs|versus|comparar|compare|otra marca|other brand)\b",
    ),
    "need": (
        r"\b(no (lo |la )?necesito|no me hace falta|ya tengo (uno|una)|don'?t need|"
        r"do not need|no need|already have (one|it)|not sure i need|no se si lo necesito|"
        r"para que (me )?sirve|what would i use)\b",
        r"\b(necesito|need|sirve|useful|util)\b",
    ),
}
_COMPILED = {kind: (re.compile(strong), re.compile(weak)) for kind, (strong, weak) in RULES.items()}


@dataclass(frozen=True)
class Objection:
    """One kind of objection, how sure we are, and the messages that raised it."""

    kind: str
    confidence: float
    count: int
    evidence: list[str] = field(default_factory=list)


def score(text: str, kind: str) -> float:
    """Confidence (0-1) that `text` raises this objection: 0.8 for a strong cue, up to
    0.95 with more cues; 0.4 for two weak cues alone; else 0."""
    strong, weak = _COMPILED[kind]
    folded = fold(text)
    strong_hits, weak_hits = len(strong.findall(folded)), len(weak.findall(folded))
    if strong_hits:
        return min(0.95, 0.8 + 0.05 * (strong_hits - 1 + weak_hits))
    return 0.4 if weak_hits >= 2 else 0.0


def detect(messages: Iterable[str], threshold: float = 0.5) -> list[Objection]:
    """The objections raised across these messages (oldest first), most confident first;
    `count` is how many messages raised each (a repeated trust doubt weighs more)."""
    found: dict[str, Objection] = {}
    for text in messages:
        for kind in KINDS:
            confidence = score(text, kind)
            if confidence < threshold:
                continue
            seen = found.get(kind)
            found[kind] = Objection(
                kind,
                max(confidence, seen.confidence if seen else 0.0),
                (seen.count if seen else 0) + 1,
                [*(seen.evidence if seen else []), text],
            )
    return sorted(found.values(), key=lambda o: (-o.confidence, KINDS.index(o.kind)))
