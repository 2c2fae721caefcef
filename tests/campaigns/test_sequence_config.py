"""Sequence YAML files: the shipped ones load, and every mistake names its file and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crm.campaigns.sequence_config import SequenceError, load_sequence, load_sequences
from crm.settings import get_settings

GOOD = {
    "name": "welcome",
    "flow": "nurturing",
    "steps": [
        {
            "delay_hours": 1,
            "text": {"es": "Hola {first_name}", "en": "Hi {first_name}"},
            "template": {"name": "welcome", "parameters": ["first_name"]},
        }
    ],
}


def write(folder: Path, data: object, name: str = "seq.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def step(**changes: object) -> dict:
    return GOOD["steps"][0] | changes


def test_the_shipped_sequences_load_in_spanish_and_english() -> None:
    sequences = load_sequences(get_settings().campaign_sequences_dir)
    flows = {s.name: s.flow for s in sequences}
    assert flows == {
        "abandoned_cart": "cart_recovery",
        "cold_reengagement": "nurturing",
        "warm_price_inquiry": "nurturing",
    }
    for sequence in sequences:
        assert all(set(s.text) == {"es", "en"} for s in sequence.steps), sequence.name
    ladder = [s.incentive.code if s.incentive else None for s in sequences[0].steps]
    assert ladder == [None, "ENVIOGRATIS", "VUELVE10"]
    assert [s.delay_hours for s in sequences[0].steps] == [1, 24, 72]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": None}, "seq.yaml: name: Input should be a valid string"),
        ({"flow": "newsletter"}, "seq.yaml: flow: Input should be 'nurturing' or 'cart_recovery'"),
        ({"steps": []}, "seq.yaml: steps: Tuple should have at least 1 item"),
        ({"holdout_share": 1.5}, "seq.yaml: holdout_share: Input should be less than 1"),
        ({"enrol": {"tiers": ["lukewarm"]}}, "seq.yaml: enrol.tiers.0: Input should be 'hot'"),
        ({"exit_on": ["bored"]}, "seq.yaml: exit_on.0: Input should be 'replied'"),
        ({"steps": [step(delay_hours=-1)]}, "seq.yaml: steps.0.delay_hours: Input should be"),
        ({"steps": [step(template=None)]}, "seq.yaml: steps.0.template: Input should be"),
        ({"steps": [step(text={"en": "Hi"})]}, "steps.0.text: Value error, needs at least"),
        ({"steps": [step(channel="sms")]}, "seq.yaml: steps.0.channel: Extra inputs"),
        (
            {"steps": [step(text={"es": "Tu carrito {checkout_url}"})]},
            "steps.0.text.es: unknown field 'checkout_url' (a nurturing message may use",
        ),
        (
            {"steps": [step(template={"name": "t", "parameters": ["age"]})]},
            "steps.0.template.parameters: unknown field 'age'",
        ),
    ],
)
def test_a_bad_field_is_reported_with_its_file_and_path(tmp_path, change, message) -> None:
    with pytest.raises(SequenceError) as error:
        load_sequence(write(tmp_path, GOOD | change))
    assert message in str(error.value)


def test_cart_fields_are_allowed_in_cart_recovery_messages(tmp_path) -> None:
    text = {"es": "{first_name}: {items} ({total} {currency}) {incentive} {code} {checkout_url}"}
    sequence = load_sequence(
        write(tmp_path, GOOD | {"flow": "cart_recovery", "steps": [step(text=text)]})
    )
    assert sequence.flow == "cart_recovery"


def test_not_yaml_or_not_a_mapping_is_reported(tmp_path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(SequenceError, match=r"broken\.yaml: not valid YAML"):
        load_sequence(broken)
    with pytest.raises(SequenceError, match=r"seq\.yaml: expected a mapping of fields, got list"):
        load_sequence(write(tmp_path, ["a", "b"]))


def test_two_files_with_one_name_are_refused(tmp_path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(SequenceError, match="two sequences are named 'welcome'"):
        load_sequences(tmp_path)
