"""Outlet identity: who published each article, with where that came from.

A stage of its own, run on each article after cleaning (:func:`identify_outlet`); its result,
:class:`~synoptic.records.Outlet`, is what every view and the store show through
``Article.outlet_name``. :func:`outlet_notes` says, once per input, when an input's articles
all have one outlet or none (so cross-checking cannot tell outlets apart), with the fix.
"""

from __future__ import annotations

from synoptic.outlets.identify import identify_outlet
from synoptic.outlets.notes import outlet_notes

__all__ = ["identify_outlet", "outlet_notes"]
