"""The bot's knowledge base: a folder of Markdown / CSV files as searchable passages.

`import_knowledge` cuts Markdown at its headings and CSV files into one passage per row,
and replaces what an earlier import of the same file left (so re-importing an edited
folder is safe). Language comes from an `es` / `en` folder or file-name part, else from
the text. PostgreSQL full-text search finds passages with the Spanish or English
configuration; text is accent-folded on both sides so 'envio' finds 'envío'.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from crm.conversation.understanding import detect_language, fold

CONFIGS = {"es": "spanish", "en": "english"}
MIN_RANK = 0.02
COMMON_SHARE = 0.34
HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Passage:
    passage_id: str
    title: str
    language: str
    body: str
    source_path: str = ""
    rank: float = 0.0


def _language(path: Path, text: str) -> str:
    for part in (*path.parent.parts, *path.name.split(".")):
        if part.lower() in CONFIGS:
            return part.lower()
    return detect_language(text, "es")


def markdown_passages(relative: str, text: str, language: str) -> list[Passage]:
    """One passage per section; a section's title is its heading."""
    marks = list(HEADING.finditer(text))
    passages = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[mark.end() : end].strip()
        if body:
            title = mark.group(1).strip()
            passages.append(Passage(f"{relative}#{fold(title)}", title, language, body, relative))
    return passages


def csv_passages(relative: str, text: str, language: str) -> list[Passage]:
    """One passage per row: the first column is its title, every column is in its body."""
    rows = list(csv.DictReader(io.StringIO(text)))
    passages = []
    for row in rows:
        title = next(iter(row.values()), "").strip()
        body = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in row.items() if v)
        passages.append(Passage(f"{relative}#{fold(title)}", title, language, body, relative))
    return passages


def read_folder(folder: Path) -> list[Passage]:
    """Every passage of every .md / .csv file under `folder`."""
    passages: list[Passage] = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in (".md", ".csv"):
            continue
        relative = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8-sig")
        language = _language(path.relative_to(folder), text)
        cut = markdown_passages if path.suffix.lower() == ".md" else csv_passages
        passages.extend(cut(relative, text, language))
    return passages


def import_knowledge(conn: psycopg.Connection, folder: Path) -> tuple[int, int]:
    """Load the folder's passages, replacing those of the same files; (files, passages)."""
    passages = read_folder(folder)
    files = sorted({p.source_path for p in passages})
    with conn.transaction():
        conn.execute("delete from app.knowledge_passages where source_path = any(%s)", [files])
        with conn.cursor() as cur:
            cur.executemany(
                "insert into app.knowledge_passages"
                " (passage_id, source_path, title, language, body, search_text)"
                " values (%s, %s, %s, %s, %s, %s) on conflict (passage_id) do update set"
                " body = excluded.body, search_text = excluded.search_text",
                [
                    (
                        p.passage_id,
                        p.source_path,
                        p.title,
                        p.language,
                        p.body,
                        fold(f"{p.title} {p.body}"),
                    )
                    for p in passages
                ],
            )
    return len(files), len(passages)


# Words found in over a third of the passages ("price", "warranty": CSV headers) and bare
# numbers match everything, so they do not count as evidence that a passage is relevant.
SEARCH_SQL = """
with language_passages as (
    select search from app.knowledge_passages where language = %(language)s
), common as (
    select word from ts_stat(%(stat_sql)s)
    where ndoc > %(common_share)s * (select count(*) from language_passages)
      and (select count(*) from language_passages) >= 6  -- a tiny base has no "common"
), lexemes as (
    select lexeme from unnest(to_tsvector(%(config)s::regconfig, %(text)s))
    where lexeme not in (select word from common)
      and lexeme !~ '^[0-9.,]+$'  -- a bare number ("5") is no evidence of a topic
), query as (
    select to_tsquery('simple', coalesce(string_agg(quote_literal(lexeme), ' | '), '')) as q
    from lexemes
)
select passage_id, title, language, body, source_path, ts_rank_cd(search, query.q, 1) as rank
from app.knowledge_passages, query
where language = %(language)s and search @@ query.q
order by rank desc, passage_id
limit %(limit)s
"""


def search(conn: psycopg.Connection, text: str, language: str, limit: int = 3) -> list[Passage]:
    """The passages most relevant to `text` (any of its words), in its language first."""
    for candidate in (language, *(lang for lang in CONFIGS if lang != language)):
        rows = conn.execute(
            SEARCH_SQL,
            {
                "config": CONFIGS[candidate],
                "text": fold(text),
                "language": candidate,
                "limit": limit,
                "common_share": COMMON_SHARE,
                # a literal, never user text: `candidate` is one of CONFIGS' keys
                "stat_sql": "select search from app.knowledge_passages"
                f" where language = '{candidate}'",
            },
        ).fetchall()
        found = [Passage(*row) for row in rows if row[5] >= MIN_RANK]
        if found:
            return found
    return []
