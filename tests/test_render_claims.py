"""How the reports label claims: corroborated, single source, and unconfirmed with its pointers."""

from __future__ import annotations

from synoptic.records import Article, Citation, Claim, Digest, Dossier, Outlet, Story
from synoptic.render import render_html, render_markdown
from synoptic.render.view import claim_status

A = "The old stone bridge over the river collapsed before dawn. The governor praised the volunteers."
B = "Officials said the stone bridge had given way overnight. Schools stay closed until Friday."


def _digest() -> tuple[Digest, dict[str, Article]]:
    a = Article(id="a1", source="a.txt", text=A, outlet=Outlet("Daily A"))
    b = Article(id="b1", source="b.txt", text=B, outlet=Outlet("Gazette <B>"))
    bridge_a, bridge_b = Citation("a1", (0, 58)), Citation("b1", (0, 56))
    claims = (
        Claim("c-1", A[:58], (bridge_a,), ("Daily A",), False, related=(Citation("b1", (0, 56), 0.67),)),
        Claim("c-2", A[59:], (Citation("a1", (59, len(A))),), ("Daily A",), True),
        Claim("c-3", "Both said so.", (bridge_a, bridge_b), ("Daily A", "Gazette <B>"), False),
    )
    dossier = Dossier(Story("s1", ("a1", "b1"), "Bridge"), claims=claims)
    return Digest(articles=(a, b), dossiers=(dossier,)), {"a1": a, "b1": b}


def test_a_claim_with_related_statements_reads_unconfirmed_with_their_outlets() -> None:
    digest, arts = _digest()
    statuses = [claim_status(c, arts) for c in digest.dossiers[0].claims]
    assert statuses == ["unconfirmed (related: Gazette <B>)", "single source", "corroborated"]


def test_reports_write_the_status_and_escape_the_outlet() -> None:
    digest, _ = _digest()
    md = render_markdown(digest)
    assert "| Daily A | unconfirmed \\(related: Gazette \\<B\\>\\) |" in md
    assert "| Daily A | single source |" in md
    html = render_html(digest)
    assert "<td>unconfirmed (related: Gazette &lt;B&gt;)</td>" in html
    assert '<tr class="unconfirmed">' in html
    assert "Gazette <B>" not in html
