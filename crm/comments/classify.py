"""What a public comment is: spam / abuse, complaint, buying signal, question, praise, other.

Bilingual (es / en) rules on accent-folded text, first match wins in that order: a link
selling followers is spam even if it asks a question, an angry "¿dónde está mi pedido?"
is a complaint before it is a question, and "precio?" is a buyer before a question. A
question about price, an order or personal data is flagged `private`: it is answered by
DM, never under the post for everyone to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.conversation.understanding import fold

LABELS = ("spam", "complaint", "buying", "question", "praise", "other")

SPAM = re.compile(
    r"https?://|www\.|\b(follow me|follow back|sigueme|check my (page|profile|bio)|"
    r"mira mi perfil|link in (my )?bio|gana dinero|earn money|make money|crypto|bitcoin|"
    r"forex|inversion garantizada|free followers|seguidores gratis|promo code|"
    r"dm (me )?for (collab|promo)|collab\?)"
)
ABUSE = re.compile(
    r"\b(idiota|idiotas|estupido|estupida|stupid|idiot|imbecil|pendejo|basura de|"
    r"mierda|puta|puto|fuck\w*|shit|asshole|cabron)\b"
)
COMPLAINT = re.compile(
    r"\b(queja|reclamo|terrible|pesimo|pesima|peor|worst|awful|horrible|estafa|"
    r"estafadores|scam|scammers|fraude|nunca llego|never arrived|never came|no ha llegado|"
    r"hasn'?t arrived|sigo esperando|still waiting|mal servicio|bad service|"
    r"no responden|no contestan|nobody answers|no answer|decepcionad[oa]|disappointed|"
    r"devuelvan mi dinero|want my money back|broken|roto|llego danado|arrived damaged)\b"
)
BUYING = re.compile(
    r"\b(lo quiero|la quiero|los quiero|las quiero|me interesa|quiero (uno|una|comprar|"
    r"este|esta)|i want (one|it|this|to buy)|i'?ll take (it|one)|i need (one|this)|"
    r"precio|price|how much|cuanto (cuesta|vale|sale|es)|dm me|send me a dm|"
    r"mandame (un )?(dm|mensaje|info|inbox)|info (por )?(dm|inbox|privado|interno)|"
    r"al privado|por interno|where (can i|do i) (buy|order)|donde (lo )?(compro|consigo)|"
    r"como (lo )?compro|how (can i|do i) (buy|order))\b"
)
QUESTION = re.compile(
    r"\?|^\W*(que|como|cuando|donde|cual|cuanto|tienen|hay|hacen|venden|"
    r"what|how|when|where|which|do you|does it|is it|is there|are there|can i|can you)\b"
)
PRIVATE_TOPIC = re.compile(
    r"\b(precio|precios|cuesta|cuestan|price|prices|cost|pago|pagar|payment|pay|"
    r"pedido|orden|order|envio|shipping|tracking|factura|invoice|"
    r"correo|email|e-mail|telefono|phone|celular|direccion|address|cedula|"
    r"mi numero|my number)\b|[\w.+-]+@[\w-]+\.\w+|\+?\d[\d\s-]{7,}\d"
)
PRAISE = re.compile(
    r"\b(gracias|thanks|thank you|me encanta|me encantan|love (it|this|them)|hermos[oa]s?|"
    r"precios[oa]s?|bell[oa]s?|beautiful|lindo|linda|genial|excelente|great|amazing|"
    r"increible|buenisim[oa]|perfect[oa]?|awesome|top|recomendad[oa]s?)\b"
    r"|[\u2764\U0001F60D\U0001F525\U0001F44F\U0001F64C\U0001F970]"
)


@dataclass(frozen=True)
class CommentClass:
    """The comment's label, how sure the rules are, and whether to answer in private."""

    label: str
    confidence: float
    private: bool = False


def classify(text: str | None) -> CommentClass:
    """Label one comment (see the module docstring for the order of the rules)."""
    folded = fold(text or "").strip()
    if not folded:
        return CommentClass("other", 0.5)
    if SPAM.search(folded) or ABUSE.search(folded):
        return CommentClass("spam", 0.9)
    if COMPLAINT.search(folded):
        return CommentClass("complaint", 0.85)
    if BUYING.search(folded):
        return CommentClass("buying", 0.85, private=True)
    if QUESTION.search(folded):
        return CommentClass("question", 0.7, private=bool(PRIVATE_TOPIC.search(folded)))
    if PRAISE.search(folded):
        return CommentClass("praise", 0.8)
    return CommentClass("other", 0.5)
