"""Sample people: names with accents, real-looking phones per country, channel identities.

Phones follow each country's mobile numbering; WhatsApp's `wa_id` is the E.164 number in
digits, except the variants seen in the wild (Mexico's legacy `521...`, Brazilian numbers
registered before the ninth digit), so identity resolution has something real to do.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


LATIN_FIRST = _names(
    "José María Andrés Sofía Martín Lucía Camila Valentina Sebastián Nicolás Ramón Inés "
    "Joaquín Tomás Mónica Verónica Héctor Raúl Iván Adrián Ángela Daniela Alejandro Gabriela "
    "Jesús Rocío Begoña Íñigo Álvaro Marisol Yessenia Yadira Edwin Nayeli Ximena Dayana"
)
LATIN_LAST = _names(
    "Pérez González Rodríguez Hernández Martínez López Gómez Díaz Sánchez Ramírez Núñez "
    "Muñoz Castañeda Ibáñez Peña Ordóñez Jiménez Vásquez Benítez Chávez Gutiérrez Suárez "
    "Cortés Ríos Quintero Herrera Batista Solís Domínguez Méndez"
)
BR_FIRST = _names("João Conceição Luís Antônio Thiago Letícia Vitória Júlia Caio Fernanda")
BR_LAST = _names("Gonçalves Araújo Simões Magalhães Assunção Brandão Conceição Azevedo")
EN_FIRST = _names("John Emily Michael Sarah David Jessica Chris Ashley Kevin Megan Ryan Olivia")
EN_LAST = _names("Smith Johnson Brown O'Connor Williams Miller Davis Taylor Anderson McKenzie")
COMPANIES = (
    "Distribuidora del Istmo S.A.",
    "Ferretería La Económica",
    "Importadora Panamá Pacífico",
    "Tech Solutions LLC",
    "Comercial Andina SAS",
    "Papelería Núñez",
    "Grupo Azteca Retail",
    "Boutique Ximena",
    "Acme Supplies Inc.",
    "Café Boquete Export",
)


@dataclass(frozen=True)
class Country:
    """A country as the demo needs it: dialling, mobile shape, language mix, cities."""

    code: str
    dial: str
    weight: int
    spanish_share: float
    cities: tuple[tuple[str, str, str], ...]  # (city, state, postcode)


COUNTRIES = (
    Country("PA", "507", 30, 0.9, (("Panamá", "Panamá", "0801"), ("David", "Chiriquí", "0401"))),
    Country(
        "MX",
        "52",
        15,
        0.95,
        (("Ciudad de México", "CDMX", "06600"), ("Monterrey", "Nuevo León", "64000")),
    ),
    Country(
        "CO",
        "57",
        12,
        0.95,
        (("Bogotá", "Cundinamarca", "110111"), ("Medellín", "Antioquia", "050001")),
    ),
    Country("BR", "55", 6, 0.5, (("São Paulo", "SP", "01001-000"),)),
    Country("US", "1", 14, 0.3, (("Miami", "FL", "33130"), ("Houston", "TX", "77002"))),
    Country(
        "ES", "34", 8, 0.95, (("Madrid", "Madrid", "28013"), ("Sevilla", "Andalucía", "41001"))
    ),
    Country("CR", "506", 6, 0.95, (("San José", "San José", "10101"),)),
    Country("AR", "54", 4, 1.0, (("Buenos Aires", "CABA", "C1002"),)),
    Country("CL", "56", 3, 1.0, (("Santiago", "RM", "8320000"),)),
    Country("PE", "51", 2, 1.0, (("Lima", "Lima", "15001"),)),
)


@dataclass(frozen=True)
class Phone:
    """One mobile number: E.164 digits, the wa_id WhatsApp reports, the local spelling."""

    e164: str
    wa_id: str
    national: str


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def make_phone(rng: random.Random, code: str) -> Phone:
    """A plausible mobile number for a country, with WhatsApp's known wa_id variants."""
    if code == "MX":
        nat = rng.choice(("55", "33", "81")) + _digits(rng, 8)
        legacy = rng.random() < 0.5
        return Phone(
            "52" + nat, ("521" if legacy else "52") + nat, f"{nat[:2]} {nat[2:6]} {nat[6:]}"
        )
    if code == "BR":
        ddd, sub = rng.choice(("11", "21", "31")), _digits(rng, 8)
        old = rng.random() < 0.4  # accounts created before the ninth digit keep the short id
        wa = "55" + ddd + (sub if old else "9" + sub)
        return Phone("55" + ddd + "9" + sub, wa, f"({ddd}) 9{sub[:4]}-{sub[4:]}")
    if code == "US":
        nat = rng.choice(("305", "786", "713", "212")) + str(rng.randrange(2, 10)) + _digits(rng, 6)
        return Phone("1" + nat, "1" + nat, f"({nat[:3]}) {nat[3:6]}-{nat[6:]}")
    if code == "AR":
        nat = "11" + _digits(rng, 8)
        return Phone("549" + nat, "549" + nat, f"011 15-{nat[2:6]}-{nat[6:]}")
    nat = {
        "PA": lambda: "6" + _digits(rng, 7),
        "CR": lambda: "8" + _digits(rng, 7),
        "CO": lambda: "3" + _digits(rng, 9),
        "ES": lambda: "6" + _digits(rng, 8),
        "CL": lambda: "9" + _digits(rng, 8),
        "PE": lambda: "9" + _digits(rng, 8),
    }[code]()
    dial = next(c.dial for c in COUNTRIES if c.code == code)
    spaced = f"{nat[:4]}-{nat[4:]}" if len(nat) == 8 else f"{nat[:3]} {nat[3:6]} {nat[6:]}"
    return Phone(dial + nat, dial + nat, spaced)


@dataclass(frozen=True)
class Person:
    """One sample person and every id the channels and the CRM know them by."""

    key: str
    first_name: str
    last_name: str
    country: Country
    language: str  # "es" or "en"
    phone: Phone
    email: str
    company: str | None
    channels: tuple[str, ...]  # whatsapp, instagram, messenger; first is the main one
    wa_user_id: str  # WhatsApp business-scoped user id (BSUID), e.g. "PA.1349120865530274191"
    wa_has_username: bool  # username adopters may come without wa_id / from
    igsid: str
    ig_username: str
    psid: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def make_person(rng: random.Random, index: int) -> Person:
    """Draw one person: country first, then a name, language and channels that fit it."""
    country = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
    spanish = rng.random() < country.spanish_share
    if country.code == "BR":
        first, last = rng.choice(BR_FIRST), rng.choice(BR_LAST)
    elif country.code == "US" and not spanish:
        first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
    else:
        first, last = rng.choice(LATIN_FIRST), rng.choice(LATIN_LAST)
    main = rng.choices(("whatsapp", "instagram", "messenger"), weights=(60, 25, 15))[0]
    channels: tuple[str, ...] = (main,)
    if rng.random() < 0.18:
        channels += (rng.choice([c for c in ("whatsapp", "instagram", "messenger") if c != main]),)
    plain = strip_accents(f"{first}.{last}").lower().replace("'", "")
    domain = rng.choice(("gmail.com", "hotmail.com", "outlook.es", "yahoo.com", "icloud.com"))
    return Person(
        key=f"p{index:04d}",
        first_name=first,
        last_name=last,
        country=country,
        language="es" if spanish else "en",
        phone=make_phone(rng, country.code),
        email=f"{plain}{rng.randrange(100) if rng.random() < 0.5 else ''}@{domain}",
        company=rng.choice(COMPANIES) if rng.random() < 0.35 else None,
        channels=channels,
        wa_user_id=f"{country.code}.{rng.randrange(10**18, 10**19)}",
        wa_has_username=rng.random() < 0.06,
        igsid=str(rng.randrange(10**16, 10**17)),
        ig_username=plain.replace(".", rng.choice((".", "_", ""))) + rng.choice(("", "_", "07")),
        psid=str(rng.randrange(10**15, 10**16)),
    )


def strip_accents(text: str) -> str:
    """Drop accents the way people (and old CRMs) do: 'Núñez' -> 'Nunez'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
