from adapters.triage.tokens import NUMBER, ORDINAL, WORD, ordinal_value, tokenize


def kinds(text):
    return [(t.kind, t.low) for t in tokenize(text) if t.kind != "punct"]


def test_abbreviations_with_hyphens_stay_one_word():
    assert kinds("на пр-те Космонавтов, Ворошиловский р-н") == [
        (WORD, "на"),
        (WORD, "пр-те"),
        (WORD, "космонавтов"),
        (WORD, "ворошиловский"),
        (WORD, "р-н"),
    ]


def test_hyphenated_names_split_into_streets():
    assert [low for _, low in kinds("район Зорге-Еременко")] == ["район", "зорге", "еременко"]


def test_house_numbers_keep_letters_slashes_and_buildings():
    assert kinds("12А 3/1 102/1 85к4") == [(NUMBER, "12а"), (NUMBER, "3/1"), (NUMBER, "102/1"), (NUMBER, "85к4")]


def test_ordinals_and_their_value():
    tokens = [t for t in tokenize("20-я линия и 42-м") if t.kind == ORDINAL]
    assert [ordinal_value(t) for t in tokens] == ["20", "42"]


def test_full_stop_after_an_abbreviation_does_not_end_the_sentence():
    tokens = tokenize("ул. Шаумяна, д. 55. Прошу", frozenset({"ул", "д"}))
    by_word = {t.low: t.sentence for t in tokens}
    assert by_word["ул"] == by_word["шаумяна"] == by_word["55"] == 0
    assert by_word["прошу"] == 1
