"""A generated CRM population with known truth: people seen through channels and imports.

Each person (Panama, Mexico, Colombia, Spain, the US, Brazil) appears as one to four
source identities: a WhatsApp sender (wa_id in international digits; Mexico's `521`
prefix, Brazil's mobile without its 9th digit), a Messenger or Instagram profile (a name,
sometimes a phone or e-mail given in the chat), a Shopify buyer, and contacts in CRM
exports with the noise the issue lists: national phone formats, honorifics and emoji,
dropped accents and second surnames, typos, e-mail case / dots / +tags, abbreviated
streets, countries in several languages, dates in several orders. Common names repeat
across people, so name agreement alone is never enough.
"""

from __future__ import annotations

import random
import unicodedata

import pandas as pd


def _words(*lines: str) -> list[str]:
    """Space-separated words, for long name lists."""
    return " ".join(lines).split()


FIRST = _words(
    "María José Juan Carlos Ana Luis Sofía Valentina Camila Andrés Diego Lucía Martina Pedro "
    "Javier Fernanda Gabriela Daniel Alejandro Isabella Mateo Santiago Emilia Paula Ricardo "
    "Héctor Marta Elena Raúl Tomás Joaquín Renata Ximena Rodrigo Emilio Patricia Verónica "
    "Mariana Julián Sebastián Nicolás Adriana Beatriz Cristina Esteban Francisco Guadalupe "
    "Ignacio Leonardo Manuel Natalia Óscar Rafael Samuel Teresa Ulises Victoria Wilson Yolanda "
    "João Thiago Larissa Gustavo Rafaela Bruno Letícia Felipe Mariana Caio Beatriz Vinícius "
    "James Mary Robert Jennifer Michael Linda William Emily David Sarah Ashley Kevin Megan"
)
SURNAMES = _words(
    "García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores "
    "Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Chávez Ruiz Jiménez Mendoza Álvarez "
    "Castillo Romero Herrera Medina Aguilar Vargas Castro Guzmán Fernández Moreno Muñoz Rojas "
    "Navarro Domínguez Vázquez Ramos Gil Serrano Molina Blanco Suárez Ortega Delgado Campos "
    "Cabrera Vega Carrasco Peña Espinoza Fuentes Salazar Sandoval Cortés Solís Valencia Osorio "
    "Quintero Arango Cárdenas Bermúdez Zuluaga Restrepo Londoño Echeverri Betancur Montoya "
    "Silva Santos Oliveira Souza Lima Pereira Costa Ferreira Almeida Carvalho Ribeiro Araújo "
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Sáenz Urrutia Villalobos Barrios Pinzón Batista Quirós Mejía Arosemena Tejada Samudio"
)
HONORIFICS = ["Sr.", "Sra.", "Dr.", "Dra.", "Lic.", "Don", "Ing."]
PROVIDERS = ["gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "icloud.com"]
STREETS = ["Avenida Balboa", "Calle 50", "Vía España", "Avenida Reforma", "Calle 72",
           "Carrera 7", "Gran Vía", "Main Street", "Rua Augusta", "Avenida Paulista"]  # fmt: skip
STREET_ABBREVIATIONS = {"Avenida": "Av.", "Calle": "C/", "Carrera": "Cra.", "Street": "St"}
COUNTRIES = {
    "PA": (["Panamá", "Panama", "PA", "PAN"], ["Panamá", "Colón", "David"], 4, "507"),
    "MX": (["México", "Mexico", "MX", "mexico"], ["CDMX", "Guadalajara", "Monterrey"], 5, "52"),
    "CO": (["Colombia", "CO", "COL"], ["Bogotá", "Medellín", "Cali"], 6, "57"),
    "ES": (["España", "Spain", "ES", "espana"], ["Madrid", "Barcelona", "Sevilla"], 5, "34"),
    "US": (["Estados Unidos", "USA", "US", "United States"], ["Miami", "Houston", "NYC"], 5, "1"),
    "BR": (["Brasil", "Brazil", "BR"], ["São Paulo", "Rio de Janeiro", "Belo Horizonte"], 8, "55"),
}
WEIGHTS = {"PA": 0.3, "MX": 0.2, "CO": 0.15, "ES": 0.1, "US": 0.1, "BR": 0.15}


def national_mobile(rng: random.Random, country: str, pid: int) -> str:
    """A national mobile number in digits (valid per phonenumbers' metadata), unique per
    person: two people sharing a number would be a family phone, not a duplicate."""
    digits = f"{pid * 7_919 % 10_000_000:07d}"
    return {
        "PA": "6" + digits,
        "MX": rng.choice(["55", "33", "81"]) + digits + rng.choice("123456789"),
        "CO": rng.choice(["300", "301", "310", "311", "312", "313", "315", "316", "320"]) + digits,
        "ES": "6" + rng.choice("0123456789") + digits,
        "US": rng.choice(["212", "305", "415", "713"]) + rng.choice("2345678") + digits[1:],
        "BR": rng.choice(["11", "21", "31"]) + "9" + rng.choice("6789") + digits,
    }[country]  # fmt: skip


def plain(text: str) -> str:
    """Accents dropped, as many exports and keyboards do."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, text: str) -> str:
    """One random edit: a swap, a deletion, a replacement or an insertion."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    letter = rng.choice("aeiourlnst")
    return text[:i] + letter + text[i + 1 :] if kind == 2 else text[:i] + letter + text[i:]


def person(rng: random.Random, pid: int) -> dict:
    """One person's true attributes."""
    country = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    cities = COUNTRIES[country][1]
    first = rng.choice(FIRST) + (f" {rng.choice(FIRST)}" if rng.random() < 0.15 else "")
    last1, last2 = rng.choice(SURNAMES), rng.choice(SURNAMES)
    handle = plain(f"{first.split()[0]}.{last1}").lower() + str(pid)  # mailboxes are personal
    return {
        "pid": pid, "country": country, "first": first, "last1": last1, "last2": last2,
        "mobile": national_mobile(rng, country, pid),
        "email": f"{handle}@{rng.choice(PROVIDERS)}",
        "dob": f"{rng.randrange(1950, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "street": f"{rng.choice(STREETS)} {rng.randrange(1, 200)}", "city": rng.choice(cities),
        "postcode": "".join(rng.choice("0123456789") for _ in range(COUNTRIES[country][2])),
    }  # fmt: skip


def wa_id(rng: random.Random, p: dict) -> str:
    """The WhatsApp id: international digits, with Mexico's 521 and Brazil's old 8 digits."""
    code, number = COUNTRIES[p["country"]][3], p["mobile"]
    if p["country"] == "MX" and rng.random() < 0.6:
        return f"521{number}"
    if p["country"] == "BR" and rng.random() < 0.4:
        return f"55{number[:2]}{number[3:]}"
    return code + number


def spoken_name(rng: random.Random, p: dict) -> str:
    """A profile or typed name: sometimes one surname, lower case, no accents, emoji."""
    name = f"{p['first']} {p['last1']}" + (f" {p['last2']}" if rng.random() < 0.3 else "")
    if rng.random() < 0.3:
        name = plain(name)
    if rng.random() < 0.2:
        name = name.lower()
    if rng.random() < 0.05:
        name += " 😊"
    return name


def local_phone(rng: random.Random, p: dict) -> str:
    """The phone as a CRM export holds it: national with separators, or international."""
    number, code = p["mobile"], COUNTRIES[p["country"]][3]
    style = rng.randrange(3)
    if style == 0:
        return f"{number[:-4]}-{number[-4:]}"
    if style == 1:
        return f"+{code} {number[:3]} {number[3:]}"
    return f"({number[:2]}) {number[2:]}" if p["country"] == "BR" else number


def email_variant(rng: random.Random, p: dict) -> str:
    """The same mailbox written differently: case, gmail dots, +tags."""
    local, _, domain = p["email"].partition("@")
    if domain == "gmail.com" and rng.random() < 0.3:
        local = local.replace(".", "")
    if domain in ("gmail.com", "outlook.com") and rng.random() < 0.2:
        local += "+tienda"
    address = f"{local}@{domain}"
    return address.upper() if rng.random() < 0.1 else address


def imported(rng: random.Random, p: dict, k: int) -> dict:
    """A CRM export row with the usual noise."""
    first, last1 = p["first"], p["last1"]
    if rng.random() < 0.15:
        last1 = typo(rng, last1)
    if rng.random() < 0.1:
        first = typo(rng, first)
    last = f"{last1} {p['last2']}" if rng.random() < 0.6 else last1
    street = p["street"]
    for word, short in STREET_ABBREVIATIONS.items():
        street = street.replace(word, short) if rng.random() < 0.5 else street
    y, m, d = p["dob"].split("-")
    dob = rng.choice([p["dob"], f"{d}/{m}/{y}", f"{int(d)}-{int(m)}-{y}"])
    return {
        "source": "import", "source_id": f"crm-{p['pid']}-{k}",
        "first_name": (rng.choice(HONORIFICS) + " " if rng.random() < 0.1 else "") + first,
        "last_name": plain(last) if rng.random() < 0.3 else last,
        "phone": local_phone(rng, p) if rng.random() < 0.85 else None,
        "email": email_variant(rng, p) if rng.random() < 0.7 else None,
        "street": street if rng.random() < 0.6 else None,
        "city": p["city"] if rng.random() < 0.7 else None,
        "postcode": p["postcode"] if rng.random() < 0.5 else None,
        "country": rng.choice(COUNTRIES[p["country"]][0]),
        "date_of_birth": dob if rng.random() < 0.6 else None,
    }  # fmt: skip


def channel(rng: random.Random, p: dict, source: str, k: int) -> dict:
    """A WhatsApp, Messenger, Instagram or Shopify identity of the person."""
    row = {"source": source, "full_name": spoken_name(rng, p)}
    if source == "whatsapp":
        row |= {"source_id": wa_id(rng, p), "channel_key": f"US.{p['pid']}"}
        row["phone"] = "+" + row["source_id"]
    elif source == "shopify":
        row |= {"source_id": f"shop-{p['pid']}-{k}", "email": email_variant(rng, p),
                "phone": local_phone(rng, p) if rng.random() < 0.5 else None,
                "country": p["country"], "city": p["city"]}  # fmt: skip
    else:
        row["source_id"] = f"{source}-{p['pid']}-{k}"
        if rng.random() < 0.5:  # a phone or e-mail given in the conversation
            row |= {"phone": local_phone(rng, p), "country": p["country"]}
        elif rng.random() < 0.5:
            row["email"] = email_variant(rng, p)
    return row


SOURCES = ["whatsapp", "import", "import", "messenger", "instagram", "shopify"]


def generate(records: int, seed: int = 42) -> tuple[pd.DataFrame, pd.Series]:
    """About `records` source identities (contact columns) and the true person of each."""
    rng = random.Random(seed)
    rows, truth, pid = [], [], 0
    while len(rows) < records:
        p = person(rng, pid)
        count = rng.choices([1, 2, 3, 4], weights=[0.35, 0.35, 0.2, 0.1])[0]
        for k, source in enumerate(rng.sample(SOURCES, count)):
            row = imported(rng, p, k) if source == "import" else channel(rng, p, source, k)
            row["seen_at"] = pd.Timestamp("2025-01-01", tz="UTC") + pd.Timedelta(
                minutes=rng.randrange(600_000)
            )
            rows.append(row)
            truth.append(pid)
        pid += 1
    frame = pd.DataFrame(rows[:records])
    frame["channel_key"] = frame.get("channel_key")
    return frame, pd.Series(truth[:records], name="person")
