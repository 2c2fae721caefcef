"""The knowledge base: import from a folder, full-text search in Spanish and English."""

from __future__ import annotations

import os
import subprocess
import sys

from crm.conversation.knowledge import import_knowledge, search
from crm.settings import PROJECT_ROOT


def test_search_finds_passages_in_the_question_language_accents_or_not(knowledge):
    spanish = search(knowledge, "cuanto cuesta el envio", "es")
    english = search(knowledge, "How long does shipping take?", "en")
    assert spanish[0].passage_id == "es/preguntas_frecuentes.md#envios y tiempos de entrega"
    assert english[0].passage_id == "en/faq.md#shipping and delivery times"


def test_nothing_relevant_returns_nothing(knowledge):
    assert search(knowledge, "¿venden bicicletas eléctricas?", "es") == []
    assert search(knowledge, "What is the price of the iPhone?", "en") == []


def test_reimporting_an_edited_folder_replaces_its_passages(conn, tmp_path):
    (tmp_path / "en").mkdir()
    faq = tmp_path / "en" / "faq.md"
    faq.write_text("# FAQ\n\n## Parking\nFree parking behind the shop.\n")
    assert import_knowledge(conn, tmp_path) == (1, 1)
    faq.write_text("# FAQ\n\n## Pets\nDogs are welcome in the shop.\n")
    import_knowledge(conn, tmp_path)
    assert search(conn, "parking", "en") == []
    assert [p.title for p in search(conn, "can I bring my dog", "en")] == ["Pets"]


def test_crm_import_knowledge_loads_the_sample_folder(db):
    command = [sys.executable, "-m", "crm.cli", "import", "knowledge", "crm/demo/knowledge"]
    env = {**os.environ, "DATABASE_URL": db}
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "24 passages from 6 files"
