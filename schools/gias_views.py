"""Placeholder views; being written."""

from django.http import HttpResponse


def import_upload(request, pk=None):
    return HttpResponse(status=501)


def import_preview(request, pk=None):
    return HttpResponse(status=501)
