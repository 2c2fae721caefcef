"""Name rules on Spanish, English and messy inputs."""

import pandas as pd

from ingestion.hygiene.names import clean_name, clean_names, proper_case, surname_units


def test_display_form_keeps_accents_and_fixes_casing():
    assert clean_name(full="maría JOSÉ de la cruz").display_name == "María José de la Cruz"


def test_matching_form_has_no_accents_case_or_honorific():
    assert clean_name(full="Sra. MARÍA José de la Cruz").name_key == "maria jose de la cruz"


def test_compound_given_name_and_particle_surname():
    result = clean_name(full="maría JOSÉ de la cruz")
    assert (result.first_name, result.last_names) == ("María José", ["de la Cruz"])


def test_spanish_double_surname_is_a_list():
    result = clean_name(full="Ana García Márquez")
    assert (result.first_name, result.last_names) == ("Ana", ["García", "Márquez"])


def test_single_surname_source_shares_the_first_surname():
    one, two = (
        clean_name(first="Ana", last="García"),
        clean_name(first="Ana", last="García Márquez"),
    )
    assert one.last_names[0] == two.last_names[0]


def test_y_stays_with_its_surname():
    assert clean_name(full="Dr. José Ortega y Gasset").last_names == ["Ortega", "y Gasset"]


def test_emoji_and_honorifics_are_removed_and_recorded():
    result = clean_name(full="Sr. Juan Pérez 😊🔥")
    assert result.display_name == "Juan Pérez"
    assert {"name:emoji_removed", "name:honorific_removed"} <= set(result.fixes)


def test_several_honorifics_in_a_row():
    assert clean_name(full="Sra. Dra. Ana López").display_name == "Ana López"


def test_mixed_case_words_are_respected():
    assert proper_case("ronald McDonald") == "Ronald McDonald"


def test_hyphens_and_apostrophes():
    assert proper_case("jean-pierre o'brien") == "Jean-Pierre O'Brien"


def test_separate_fields_win_over_full_name():
    result = clean_name(first="JUAN", last="pérez", full="Something Else")
    assert result.display_name == "Juan Pérez"


def test_full_name_typed_into_first_name():
    result = clean_name(first="Juan Pablo Pérez")
    assert (result.first_name, result.last_names) == ("Juan Pablo", ["Pérez"])


def test_only_an_honorific_is_no_name():
    assert clean_name(full="Sr.").display_name is None


def test_nfc_normalisation_of_decomposed_accents():
    assert clean_name(full="Jose\u0301 Nu\u0301n\u0303ez").display_name == "José Núñez"


def test_surname_units_trailing_particle():
    assert surname_units("García y") == ["García y"]


def test_vectorised_matches_per_record():
    full = pd.Series(["Sr. juan pérez", None, "Sr. juan pérez"], index=[3, 4, 5])
    frame = clean_names(full=full)
    assert frame["display_name"].tolist() == ["Juan Pérez", None, "Juan Pérez"]
    assert frame.loc[3, "last_names"] == ["Pérez"] and list(frame.index) == [3, 4, 5]
