"""Placeholder views; being written."""

from django.http import HttpResponse


def school_list(request, pk=None):
    return HttpResponse(status=501)


def school_detail(request, pk=None):
    return HttpResponse(status=501)


def contacts_edit(request, pk=None):
    return HttpResponse(status=501)


def hand_over(request, pk=None):
    return HttpResponse(status=501)


def contact_overview(request, pk=None):
    return HttpResponse(status=501)
