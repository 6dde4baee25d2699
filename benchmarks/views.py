"""The floor page: a minimal signed-in page doing one query, the yardstick of every other page.

It is served only when settings.BENCHMARK_PAGES is on (BENCHMARK_PAGES=1), which config/urls.py
checks; the product never links to it. It passes through the whole middleware stack (session,
sign-in, MFA, CSP), so what the key pages cost above it is their own work.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.utils.html import escape

from accounts.models import Force


@login_required
def floor(request):
    name = Force.objects.filter(pk=request.user.force_id).values_list("name", flat=True).first()
    return HttpResponse(
        "<!doctype html><html lang='en'><head><title>Floor</title></head>"
        f"<body><p>{escape(name or '')}</p></body></html>"
    )


SHELL_TEMPLATE = """{% extends "base.html" %}{% block title %}Shell{% endblock %}
{% block content %}<h1 class="govuk-heading-l">{{ name }}</h1>{% endblock %}"""


@login_required
def shell(request):
    """The same one query inside the product's layout (header, navigation): a reference, to show
    how much of a page's cost is the shell every page shares and how much is its own."""
    name = Force.objects.filter(pk=request.user.force_id).values_list("name", flat=True).first()
    template = engines["django"].from_string(SHELL_TEMPLATE)
    return HttpResponse(template.render({"name": name}, request))
