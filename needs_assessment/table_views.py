"""Placeholder views; being written."""

from django.http import HttpResponse


def assessment_table(request, **kwargs):
    return HttpResponse(status=501)


def indicator_upload(request, **kwargs):
    return HttpResponse(status=501)


def contacts_to_change(request, **kwargs):
    return HttpResponse(status=501)
