"""What the receptionist types about a customer: each refusal names the field and says why."""

from __future__ import annotations

import pytest

from timesyncer_gui import ValidationError
from timesyncer_gui.domain.validation import (
    validate_customer,
    validate_email,
    validate_name,
    validate_notes,
    validate_phone,
)


def refused(check: object, value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(value)  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_an_empty_or_blank_name_is_refused(blank: str) -> None:
    error = refused(validate_name, blank)
    assert error.field == "name"
    assert error.message == "Please enter the customer's name."


def test_a_name_of_120_characters_is_accepted_and_121_refused_with_the_count() -> None:
    assert validate_name("a" * 120) == "a" * 120
    error = refused(validate_name, "b" * 121)
    assert error.field == "name"
    assert error.message == "The name is too long: at most 120 characters (this one has 121)."


@pytest.mark.parametrize("control", ["\r", "\n", "\t", "\x00", "\u2028", "\x1b"])
def test_control_characters_in_a_name_are_refused(control: str) -> None:
    error = refused(validate_name, f"Ana{control}Bcc: someone@example.com")
    assert error.field == "name"
    assert "line breaks, tabs or other control characters" in error.message


@pytest.mark.parametrize(
    "name",
    ["José García", "李雷", "Ølaf Ærøskøbing", "محمد الأحمد", "Zoë 👩‍⚕️", "O'Brien-Smith"],
)
def test_names_in_any_script_are_kept_exactly(name: str) -> None:
    assert validate_name(name) == name


def test_a_name_is_trimmed_and_normalised() -> None:
    assert validate_name("  Ana Souza \t") == "Ana Souza"
    decomposed = "Jose\u0301"  # e followed by a combining acute accent
    assert validate_name(decomposed) == "José"


@pytest.mark.parametrize(
    "email",
    [
        "ana.example.com",
        "ana example@example.com",
        "ana@",
        "a@b",
        "a@-bad-.com",
        "a@exa mple.com",
        "a@.com",
        "two@@example.com",
    ],
)
def test_malformed_emails_are_refused_with_a_reason(email: str) -> None:
    error = refused(validate_email, email)
    assert error.field == "email"
    assert error.message.startswith("That email address is not valid. ")
    assert len(error.message) > len("That email address is not valid. ") + 10


def test_an_empty_email_asks_for_one() -> None:
    assert refused(validate_email, "  ").message == "Please enter the customer's email address."


@pytest.mark.parametrize("control", ["\r\nBcc: x@example.com", "\n", "\x00"])
def test_line_breaks_in_an_email_are_refused(control: str) -> None:
    error = refused(validate_email, f"ana@example.com{control}x")
    assert error.field == "email"
    # Surrounding whitespace from a paste, trailing newline included, is only trimmed.
    assert validate_email(" ana@example.com\n") == "ana@example.com"


def test_a_valid_email_is_normalised_without_looking_up_the_domain() -> None:
    assert validate_email(" Ana.Souza@EXAMPLE.com ") == "Ana.Souza@example.com"
    # No DNS: a domain that cannot exist is fine as far as syntax goes (the desk may be offline).
    assert validate_email("someone@no-such-domain-timesyncer.example") == (
        "someone@no-such-domain-timesyncer.example"
    )
    assert validate_email("josé@exämple.de") == "josé@exämple.de"


def test_phone_and_notes_are_optional_but_checked() -> None:
    assert validate_phone("") == ""
    assert validate_phone(" +44 (0)20 7946-0958 ") == "+44 (0)20 7946-0958"
    assert refused(validate_phone, "call me").field == "phone"
    for extension in ("+44 20 7946 0958 ext. 12", "020 7946 0958 Ext 12", "0958 extension 12"):
        assert validate_phone(extension) == extension
    assert validate_phone("0958 x12") == "0958 x12"
    assert refused(validate_phone, "0958 next 12").field == "phone"
    assert "ext. 12" in refused(validate_phone, "text me on 0958").message
    for no_digits in ("ext.", "--", "( )"):
        assert refused(validate_phone, no_digits).message == "A phone number needs its digits."
    assert "at most 40" in refused(validate_phone, "1" * 41).message
    assert validate_notes("Prefers mornings.\r\nAllergic to latex.") == (
        "Prefers mornings.\nAllergic to latex."
    )
    assert refused(validate_notes, "x" * 2001).field == "notes"
    assert refused(validate_notes, "bell\x07").field == "notes"


def test_validate_customer_reports_the_first_problem_in_form_order() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_customer("", "not-an-email")
    assert caught.value.field == "name"
    customer = validate_customer(" Ana ", "ana@example.com", phone="123", notes="hi")
    assert (customer.name, customer.email, customer.phone, customer.notes) == (
        "Ana",
        "ana@example.com",
        "123",
        "hi",
    )
