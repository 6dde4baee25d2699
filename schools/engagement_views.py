"""Placeholder views; being written."""

from django.http import HttpResponse


def engagement_create(request, pk=None):
    return HttpResponse(status=501)


def engagement_correct(request, pk=None):
    return HttpResponse(status=501)


def term_list(request, pk=None):
    return HttpResponse(status=501)


def term_create(request, pk=None):
    return HttpResponse(status=501)


def term_edit(request, pk=None):
    return HttpResponse(status=501)
