"""A dashboard's linked cells reverse each URL name once, not once a cell."""

from django.test import override_settings
from django.urls import reverse

from reporting import tables


def test_link_reverses_each_url_name_once(monkeypatch):
    calls = []
    real = tables.reverse

    def counting(name, urlconf=None):
        calls.append(name)
        return real(name, urlconf=urlconf)

    monkeypatch.setattr(tables, "reverse", counting)
    tables._reversed.cache_clear()
    cells = [tables.link(n, "schools:list", tier="core", empty="") for n in range(50)]
    assert calls == ["schools:list"]
    assert {c.url for c in cells} == {reverse("schools:list") + "?tier=core"}
    assert tables.link(1, "schools:list").url == reverse("schools:list")


def test_a_changed_script_prefix_or_urlconf_is_not_served_from_the_cache():
    tables._reversed.cache_clear()
    plain = tables.link(1, "schools:list").url
    with override_settings(FORCE_SCRIPT_NAME="/sub/"):
        from django.urls import set_script_prefix

        set_script_prefix("/sub/")
        try:
            assert tables.link(1, "schools:list").url == "/sub" + plain
        finally:
            set_script_prefix("/")
    assert tables.link(1, "schools:list").url == plain
