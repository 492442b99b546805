from hypothesis import given
from hypothesis import strategies as st

from core.persian import REMOVED_CHARACTERS, normalize, to_ascii_digits, to_persian_digits

persian_ish = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
        st.sampled_from(sorted(REMOVED_CHARACTERS) + [" ", "\t", "\n", "a", "Z", "5"]),
        st.characters(),
    ),
    max_size=60,
)


@given(persian_ish)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(persian_ish)
def test_normalized_text_has_none_of_the_removed_or_folded_characters(text):
    result = normalize(text)
    assert not set(result) & REMOVED_CHARACTERS
    for ch in "يكىة۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩":
        assert ch not in result
    assert "  " not in result
    assert result == result.strip()


@given(st.text(max_size=80))
def test_normalize_never_raises_on_any_text(text):
    assert isinstance(normalize(text), str)


def test_arabic_and_persian_spellings_meet():
    assert normalize("علي كريمي") == normalize("علی کریمی")
    assert normalize("مدرسه\u200cها") == normalize("مدرسهها")
    assert normalize("منطقه ۱۲") == normalize("منطقه ١٢") == "منطقه 12"
    assert normalize("مُحَمَّد") == "محمد"
    assert normalize("بـــزرگ") == "بزرگ"
    assert normalize("  خیابان \n\t  آزادی ") == "خیابان آزادی"
    assert normalize(None) == ""


def test_digit_helpers():
    assert to_ascii_digits("۰۹۱۲-٣٤٥") == "0912-345"
    assert to_persian_digits("Page 12") == "Page ۱۲"
