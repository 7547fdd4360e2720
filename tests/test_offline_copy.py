"""What a first visit stores for reading without a signal, on a site of any size."""

from __future__ import annotations

from metodiky.offline import (
    OFFLINE_WHOLE_METHODOLOGIES,
    render_offline_page,
    split_on_demand,
    stored_on_demand,
)


def test_a_large_site_stores_each_methodology_when_it_is_opened() -> None:
    # With today's three methodologies a first visit stores everything; a knowledge base of
    # 150 would make every phone download all of them in the background.
    assert not stored_on_demand(3)
    assert stored_on_demand(150)
    assert OFFLINE_WHOLE_METHODOLOGIES >= 3
    urls = ["./", "kp/", "kp/uvod/", "kp/schema.svg", "zacinam/", "assets/x.css", "kpx/"]
    precached, groups = split_on_demand(urls, ["kp", "mo"])
    assert groups == {"kp/": ["kp/", "kp/uvod/"]}
    # Common pages and every asset stay in the first download (a methodology's pages need them).
    assert precached == ["./", "kp/schema.svg", "zacinam/", "assets/x.css", "kpx/"]


def test_the_offline_page_says_what_is_stored() -> None:
    nav = [{"Začínám": "zacinam.md"}, {"Metodika kontaktní práce": ["kp/index.md", "kp/uvod.md"]}]
    whole = render_offline_page(nav)
    on_demand = render_offline_page(nav, on_demand=["kp"])
    assert "uloží celý aktuální obsah" in whole
    assert "uloží celý aktuální obsah" not in on_demand
    assert "jakmile otevřete kteroukoli její stránku" in on_demand
    # Its list leads only to what is surely stored: not to a methodology never opened.
    assert "(kp/index.md)" in whole and "(zacinam.md)" in on_demand
    assert "(kp/index.md)" not in on_demand
