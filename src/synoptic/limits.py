"""Bounds on the work one long article can cause (see ``DossierSettings.max_article_chars``)."""

from __future__ import annotations


def compared_length(text: str, limit: int) -> int:
    """How much of ``text`` the stages that compare sentences pairwise read: all of it when it
    is at most ``limit`` characters, else up to the last paragraph break before ``limit`` (the
    last space when one paragraph is longer, ``limit`` when there is none). The part read is a
    prefix, so every span into it is a span of the whole text."""
    if len(text) <= limit:
        return len(text)
    cut = max(text.rfind("\n\n", 0, limit), 0) or max(text.rfind(" ", 0, limit), 0) or limit
    return len(text[:cut].rstrip())
