"""Placeholder views; being written."""

from django.http import HttpResponse


def framework_list(request, **kwargs):
    return HttpResponse(status=501)


def framework_detail(request, **kwargs):
    return HttpResponse(status=501)


def framework_choose(request, **kwargs):
    return HttpResponse(status=501)


def level_edit(request, **kwargs):
    return HttpResponse(status=501)


def offer_edit(request, **kwargs):
    return HttpResponse(status=501)


def indicator_edit(request, **kwargs):
    return HttpResponse(status=501)
