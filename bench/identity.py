"""Identity resolution measured: FEBRL 1-4 and a generated CRM set, ours beside Splink.

Ours runs the production path (`ingestion.hygiene.identities.clean_identities`, then
`ingestion.identity.records.matching_features` and `ingestion.identity.resolve.resolve`).
Splink 5 (DuckDB) runs its documented FEBRL-style setup on the same data in the same run
(FEBRL: the raw columns, as its examples use them; CRM: our cleaned features). Each
(data set, matcher) runs in a fresh process, so its peak memory (`ru_maxrss`) is its own.
Prints one table: pairwise precision, recall and F1, seconds, peak MB.

    uv run python bench/identity.py                      # FEBRL 1-4 and CRM 100k
    uv run python bench/identity.py --crm 100000 1000000 --no-febrl
    uv run python bench/identity.py --no-splink          # ours only
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from identity_metrics import pairwise_scores

THRESHOLD = 0.99  # the production link threshold, given to Splink too
COLUMNS = ("data set", "records", "matcher", "precision", "recall", "F1", "clean s",
           "match s", "peak MB")  # fmt: skip


def _load(dataset: str):
    """(contact rows, Splink's input frame or None, truth) of a data set."""
    if dataset.startswith("febrl"):
        from identity_febrl import load

        raw, contacts, truth = load(dataset)
        frame = raw.drop(columns=["soc_sec_id"]).rename(columns={"rec_id": "unique_id"})
        return contacts, frame.astype(object).where(frame.notna(), None), truth
    from identity_crm import generate

    contacts, truth = generate(int(dataset.removeprefix("crm-")))
    return contacts, None, truth


def _splink_frame(records):
    """Our cleaned features in the columns `identity_splink.crm_setup` compares."""
    columns = ["record_id", "first_key", "last_key", "dob", "street_key", "postcode",
               "city_key", "phone_key", "email_key", "country"]  # fmt: skip
    return records[columns].rename(columns={"record_id": "unique_id"})


def measure(dataset: str, matcher: str) -> dict:
    """One matcher on one data set, in this (fresh) process."""
    warnings.filterwarnings("ignore")
    from identity_path import features

    contacts, splink_input, truth = _load(dataset)
    started = time.perf_counter()
    records = features(contacts) if matcher == "ours" or splink_input is None else None
    cleaned = time.perf_counter()
    if matcher == "ours":
        from ingestion.identity.resolve import resolve

        labels = resolve(records).links["lead_id"]
    else:
        from identity_splink import crm_setup, febrl_setup, splink_clusters

        if splink_input is not None:
            labels = splink_clusters(splink_input, febrl_setup(), THRESHOLD)
        else:
            labels = splink_clusters(_splink_frame(records), crm_setup(), THRESHOLD)
    finished = time.perf_counter()
    scores = pairwise_scores(labels.to_numpy(), truth.to_numpy())
    return {
        "data set": dataset, "records": len(contacts), "matcher": matcher,
        "precision": scores.precision, "recall": scores.recall, "F1": scores.f1,
        "clean s": cleaned - started, "match s": finished - cleaned,
        "peak MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }  # fmt: skip


def _row(result: dict) -> str:
    cells = []
    for column in COLUMNS:
        value = result[column]
        if column in ("precision", "recall", "F1"):
            cells.append(f"{value:.4f}")
        elif isinstance(value, float):
            cells.append(f"{value:,.1f}")
        else:
            cells.append(f"{value:,}" if isinstance(value, int) else str(value))
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crm", type=int, nargs="*", default=[100_000], help="CRM set sizes")
    parser.add_argument("--no-febrl", action="store_true", help="skip FEBRL 1-4")
    parser.add_argument("--no-splink", action="store_true", help="run ours only")
    args = parser.parse_args()
    datasets = [] if args.no_febrl else ["febrl1", "febrl2", "febrl3", "febrl4"]
    datasets += [f"crm-{size}" for size in args.crm]
    matchers = ["ours"] if args.no_splink else ["ours", "splink"]
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + " --- |" * len(COLUMNS), flush=True)
    spawn = multiprocessing.get_context("spawn")
    for dataset in datasets:
        for matcher in matchers:
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
                print(_row(pool.submit(measure, dataset, matcher).result()), flush=True)


if __name__ == "__main__":
    main()
