"""Locators the journeys share."""


def card_titled(page, title: str):
    """The article (a list card: a moderation item, a case study, a blog post) whose level-2
    heading is exactly `title`."""
    return page.get_by_role("article").filter(has=page.get_by_role("heading", level=2, name=title, exact=True))
