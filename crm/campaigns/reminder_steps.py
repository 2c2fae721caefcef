"""The payment reminder ladder: which step is due on which day, its tone, and its words.

Steps are days from the due date (`-3`: three days before, `0`: on the day, `7`: a week
late), each with the approved WhatsApp template it uses outside the 24 h window, read
from `PAYMENT_REMINDER_STEPS` (`-3:payment_reminder_upcoming,0:payment_reminder_due,...`).
The tone escalates with the ladder: friendly up to the due date, firm once it is late,
and the last late step is the final notice. A run sends only the latest step reached, so
a reminder missed on its day is not sent late in the wrong words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

TEXTS = {
    ("friendly", "es"): "Hola 👋 Te recordamos que la factura {number} por {amount} vence {when}."
    " Si ya la pagaste, ignora este mensaje. ¡Gracias!",
    ("friendly", "en"): "Hi 👋 A friendly reminder that invoice {number} for {amount} is due"
    " {when}. If you have already paid, please ignore this message. Thank you!",
    ("firm", "es"): "Hola, la factura {number} por {amount} venció el {due} y sigue pendiente"
    " ({days} días de atraso). Por favor realiza el pago lo antes posible o escríbenos si"
    " hay algún problema.",
    ("firm", "en"): "Hello, invoice {number} for {amount} was due on {due} and is still unpaid"
    " ({days} days overdue). Please pay as soon as possible, or reply if there is a problem.",
    ("final", "es"): "Aviso final: la factura {number} por {amount} tiene {days} días de atraso."
    " Si no recibimos el pago en los próximos días, pasaremos la cuenta a cobranza."
    " Si ya pagaste, respóndenos con el comprobante.",
    ("final", "en"): "Final notice: invoice {number} for {amount} is {days} days overdue. If we"
    " do not receive payment in the next few days, the account will go to collections."
    " If you have paid, please reply with the receipt.",
}
WHEN = {"es": ("hoy", "el {due}"), "en": ("today", "on {due}")}


class StepsError(ValueError):
    """A ladder that cannot be used (the message says which part)."""


@dataclass(frozen=True)
class Step:
    """One rung: its name (`before_3`, `due`, `after_7`), day offset, tone and template."""

    name: str
    days: int
    tone: str
    template: str


def parse_steps(spec: str) -> tuple[Step, ...]:
    """`-3:tmpl_a,0:tmpl_b,14:tmpl_c` -> the ladder, in day order."""
    pairs = []
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        days, _, template = part.partition(":")
        try:
            offset = int(days)
        except ValueError:
            raise StepsError(f"{part!r}: the day offset is not a whole number") from None
        if not template.strip():
            raise StepsError(f"{part!r}: no template name after the ':'")
        pairs.append((offset, template.strip()))
    offsets = sorted(offset for offset, _ in pairs)
    if not pairs or len(set(offsets)) != len(offsets):
        raise StepsError("give at least one step and each day offset once")
    pairs.sort()
    last_late = pairs[-1][0] if pairs[-1][0] > 0 else None
    return tuple(Step(_name(d), d, _tone(d, last_late), template) for d, template in pairs)


def _name(days: int) -> str:
    return "due" if days == 0 else f"before_{-days}" if days < 0 else f"after_{days}"


def _tone(days: int, last_late: int | None) -> str:
    if days <= 0:
        return "friendly"
    return "final" if days == last_late else "firm"


def current_step(steps: tuple[Step, ...], days_from_due: int) -> Step | None:
    """The latest step reached `days_from_due` days after the due date (None: too early)."""
    reached = [step for step in steps if step.days <= days_from_due]
    return reached[-1] if reached else None


def money(amount: Decimal, currency: str) -> str:
    """`1,234.50 USD`: the same in both languages, so amounts read unambiguously."""
    return f"{amount:,.2f} {currency}"


def reminder_text(
    step: Step, language: str, number: str, amount: str, due: str, days_from_due: int
) -> str:
    """The free-form message of a step in the customer's language (Spanish when unknown)."""
    language = language if language in WHEN else "es"
    today, on_day = WHEN[language]
    when = today if days_from_due == 0 else on_day.format(due=due)
    values = {"number": number, "amount": amount, "due": due, "days": days_from_due}
    return TEXTS[(step.tone, language)].format(when=when, **values)
