"""The bot's knowledge base: a folder of Markdown / CSV files as searchable passages.

`import_knowledge` cuts Markdown at its headings and CSV files into one passage per row,
and replaces what an earlier import of the same file left (so re-importing an edited
folder is safe; passages still there keep their id and their stored vectors). Language
comes from an `es` / `en` folder or file-name part, else from the text. PostgreSQL
full-text search finds passages with the Spanish or English configuration; text is
accent-folded on both sides so 'envio' finds 'envío'. With an embedding model configured
and passages embedded (`passage_vectors`), search is hybrid: the full-text and the vector
rankings are merged by reciprocal rank fusion, so a question worded differently from the
passage ('cuánto sale' for 'precio') is found too.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg

from crm.conversation.understanding import detect_language, fold

if TYPE_CHECKING:
    from crm.conversation.embeddings import Embedder

CONFIGS = {"es": "spanish", "en": "english"}
MIN_RANK = 0.02
COMMON_SHARE = 0.34
HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
FUSION_DEPTH = 10  # candidates each ranking contributes to the fusion
RRF_K = 60  # reciprocal rank fusion's damping constant (Cormack et al., 2009)


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
        conn.execute(
            "delete from app.knowledge_passages where source_path = any(%s)"
            " and passage_id <> all(%s)",
            [files, [p.passage_id for p in passages]],
        )
        with conn.cursor() as cur:
            cur.executemany(
                "insert into app.knowledge_passages"
                " (passage_id, source_path, title, language, body, search_text)"
                " values (%s, %s, %s, %s, %s, %s) on conflict (passage_id) do update set"
                " source_path = excluded.source_path, title = excluded.title,"
                " language = excluded.language, body = excluded.body,"
                " search_text = excluded.search_text, imported_at = now()",
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


def full_text(conn: psycopg.Connection, text: str, language: str, limit: int) -> list[Passage]:
    """Passages in `language` matching any of the question's words, best first."""
    rows = conn.execute(
        SEARCH_SQL,
        {
            "config": CONFIGS[language],
            "text": fold(text),
            "language": language,
            "limit": limit,
            "common_share": COMMON_SHARE,
            # a literal, never user text: `language` is one of CONFIGS' keys
            "stat_sql": f"select search from app.knowledge_passages where language = '{language}'",
        },
    ).fetchall()
    return [Passage(*row) for row in rows if row[5] >= MIN_RANK]


def fuse(rankings: list[list[Passage]], limit: int) -> list[Passage]:
    """Reciprocal rank fusion: each passage scores the sum of 1 / (RRF_K + its position)
    over the rankings it appears in; no score scales to reconcile (rank = that sum)."""
    scores: dict[str, float] = {}
    seen: dict[str, Passage] = {}
    for ranking in rankings:
        for position, passage in enumerate(ranking, start=1):
            scores[passage.passage_id] = scores.get(passage.passage_id, 0.0) + 1 / (
                RRF_K + position
            )
            seen.setdefault(passage.passage_id, passage)
    best = sorted(scores, key=lambda pid: (-scores[pid], pid))[:limit]
    return [replace(seen[pid], rank=scores[pid]) for pid in best]


def search(
    conn: psycopg.Connection,
    text: str,
    language: str,
    limit: int = 3,
    embedder: Embedder | None = None,
) -> list[Passage]:
    """The passages most relevant to `text`, in its language first; hybrid (full-text +
    vectors) when `embedder`'s vectors are stored, full-text only otherwise."""
    from crm.conversation import passage_vectors  # it imports this module

    vector = passage_vectors.question_vector(conn, embedder, text) if embedder else None
    for candidate in (language, *(lang for lang in CONFIGS if lang != language)):
        if vector is None:
            found = full_text(conn, text, candidate, limit)
        else:
            lexical = full_text(conn, text, candidate, FUSION_DEPTH)
            semantic = passage_vectors.nearest(conn, embedder, vector, candidate, FUSION_DEPTH)
            found = fuse([lexical, semantic], limit)
        if found:
            return found
    return []
