"""The floor page, the shell page and the peer list page of the benchmarks.

The floor page: a minimal signed-in page doing one query, the yardstick of every other page.

It is served only when settings.BENCHMARK_PAGES is on (BENCHMARK_PAGES=1), which config/urls.py
checks; the product never links to it. It passes through the whole middleware stack (session,
sign-in, MFA, CSP), so what the key pages cost above it is their own work.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.template import engines
from django.utils.html import escape
from django.views.generic import ListView

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


PEER_TEMPLATE = """{% extends "base.html" %}{% block title %}Schools (peer){% endblock %}
{% block content %}<h1 class="govuk-heading-l">Schools</h1>
<p class="govuk-body">{{ paginator.count }} schools</p>
<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">
<th scope="col" class="govuk-table__header">School</th>
<th scope="col" class="govuk-table__header">Phase and type</th>
<th scope="col" class="govuk-table__header">Team</th></tr></thead>
<tbody class="govuk-table__body">{% for school in object_list %}<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="{{ school.get_absolute_url }}">{{ school.name }}</a><br>
URN {{ school.urn }} · {{ school.postcode }} · {{ school.la_name }}</td>
<td class="govuk-table__cell">{{ school.get_phase_display }}<br>{{ school.establishment_type }}</td>
<td class="govuk-table__cell">{{ school.team|default:"None" }}</td></tr>{% endfor %}</tbody></table>
{% with page=page_obj %}{% include "partials/_pagination.html" %}{% endwith %}
{% endblock %}"""


class SchoolPeerList(LoginRequiredMixin, ListView):
    """The peer of the list budgets: Django's own generic ListView over the school list's
    queryset (the reader's open schools, by name, 50 a page, each with its team), in the product's
    layout, with nothing of the product's own list machinery (no filters, no caches, no
    `only()`). It stands where the Django admin changelist of School would (School is not in
    the admin): a list page built the ordinary Django way, which every list page must not be
    slower than. Served only with the floor page (BENCHMARK_PAGES=1), never in production.
    """

    paginate_by = 50  # the school list's page size (schools.views.PAGE_SIZE)

    def get_queryset(self):
        from schools.models import School

        return (
            School.objects.visible_to(self.request.user)
            .open()
            .select_related("team")
            .order_by("name", "pk")
        )

    def render_to_response(self, context, **response_kwargs):
        # Compiled once per process, as the cached template loader keeps a file's template.
        return HttpResponse(_peer_template().render(context, self.request))


@functools.cache
def _peer_template():
    return engines["django"].from_string(PEER_TEMPLATE)
