"""HTTP API and web pages over a story store (FastAPI; ``synoptic serve``)."""

from __future__ import annotations

from synoptic.server.app import create_app

__all__ = ["create_app"]
