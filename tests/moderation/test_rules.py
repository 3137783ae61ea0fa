"""Each automatic-hold rule against realistic sentences: what must be held and what must not."""

import pytest

from moderation import rules

KNOWN_HOSTS = {"betterinternetforkids.europa.eu", "saferinternet.gr", "webwise.ie"}


@pytest.mark.parametrize("text", [
    "Call me on +30 697 123 4567 after school",          # Greek mobile, international
    "my number is 087-123-4567",                          # Irish mobile
    "ring me 06 12 34 56 78",                             # French, pairs
    "whatsapp 0044 7700 900123",                          # UK with 00 prefix
    "(01) 234 5678 is our landline",                      # area code in brackets
    "0171 1234567",                                       # German mobile
    "+353871234567",                                      # no separators
    "mi número es 612 345 678",                           # Spanish, groups of three
    "Τηλέφωνο: 210 123 4567",                             # Greek landline in Greek text
    "zadzwoń 512-345-678",                                # Polish
])
def test_phone_numbers_in_the_networks_formats_are_found(text):
    assert rules.find_phone_numbers(text)


@pytest.mark.parametrize("text", [
    "Safer Internet Day 2025 is on 11.02.2025",
    "we ran the campaign in 2023-2024 and 2019 2020",
    "the video had 1.000.000 views",
    "call the child helpline 116 111",
    "the session runs 10:30-11:30",
    "minutes of the 2024-05-12 meeting",
    "Q2 report: 4,512 contacts, 37% about cyberbullying",
])
def test_dates_years_counts_and_short_numbers_are_not_phone_numbers(text):
    assert rules.find_phone_numbers(text) == []


@pytest.mark.parametrize("text", [
    "write to alex.k@gmail.com",
    "alex at gmail dot com",
    "alex [at] gmail [dot] com",
    "alex(at)example(dot)org",
    "alex @ gmail . com",
    "maria arroba hotmail punto es",                      # Spanish
    "nikos παπάκι gmail τελεία gr",                       # Greek names for @ and .
    "lena bei web punkt de",                              # German
])
def test_email_addresses_are_found_even_when_disguised(text):
    assert rules.find_emails(text)


@pytest.mark.parametrize("text", [
    "look at this dot painting",
    "we were at home. Dot and I left early",
    "meet at school at 5",
    "@Maria thanks for the ideas",
])
def test_ordinary_sentences_with_at_and_dot_are_not_email_addresses(text):
    assert rules.find_emails(text) == []


@pytest.mark.parametrize("text", [
    "I live at 12 Main Street",
    "221B Baker St",
    "5 Ashgrove Road, Dublin",
    "10 rue de la Paix",
    "Via Roma 12",
    "Hauptstraße 5",
    "ul. Marszałkowska 10",
    "Οδός Σταδίου 5",
    "Kungsgatan 12",
    "Kalverstraat 92",
])
def test_street_addresses_in_many_languages_are_found(text):
    assert rules.find_street_addresses(text)


@pytest.mark.parametrize("text", [
    "We had 3 sessions on the street art project",
    "we sent it via email 2 times",
    "the road to 2030",
    "5 avenues for action",
    "Street safety week 2024",
])
def test_numbers_near_street_words_are_not_addresses(text):
    assert rules.find_street_addresses(text) == []


@pytest.mark.parametrize("text", [
    "add me on snap",
    "my insta is @alex.k",
    "snap: alex_2010",
    "find me on TikTok @alexk",
    "@alex.k on insta",
    "discord alex#1234",
    "dm me on instagram",
])
def test_messenger_and_social_handles_are_found(text):
    assert rules.find_handles(text)


@pytest.mark.parametrize("text", [
    "TikTok trends about challenges worry parents",
    "@Maria thanks for the ideas",                        # a forum mention, not a handle
    "We discussed Instagram safety settings",
    "follow me on this idea",
    "Issue #1234 is fixed",
])
def test_talking_about_apps_is_not_sharing_a_handle(text):
    assert rules.find_handles(text) == []


@pytest.mark.parametrize("text", [
    "see https://bit.ly/abc",
    "join discord.gg/xyz",
    "www.example.com",
    "[my page](http://evil.example.org/path)",
])
def test_links_to_unknown_hosts_are_found(text):
    assert rules.find_unknown_links(text, KNOWN_HOSTS)


@pytest.mark.parametrize("text", [
    "see https://www.betterinternetforkids.europa.eu/en/news",
    "visit saferinternet.gr for tips",
    "https://www.webwise.ie/parents/",
    "e.g. this one",
    "file.pdf and Node.js",
])
def test_links_to_known_hosts_and_non_links_are_not_held(text):
    assert rules.find_unknown_links(text, KNOWN_HOSTS) == []


def test_word_lists_match_whole_words_ignoring_case_and_accents():
    assert rules.find_listed_phrases("Είσαι ΗΛΊΘΙΟΣ!", ["ηλίθιος"]) == ["ηλίθιος"]
    assert rules.find_listed_phrases("kill   yourself now", ["kill yourself"]) == ["kill yourself"]
    assert rules.find_listed_phrases("a classic assessment", ["ass"]) == []


def test_hold_messages_tell_the_author_why_without_blame():
    message = rules.hold("phone").message
    assert "looks like it contains a phone number" in message
    assert not any(word in message.lower() for word in ("violat", "forbidden", "banned", "breach", "not allowed"))
