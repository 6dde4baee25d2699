"""Placeholder views; being written."""

from django.http import HttpResponse


def inbox(request, **kwargs):
    return HttpResponse(status=501)


def assessment_start(request, **kwargs):
    return HttpResponse(status=501)


def assessment_detail(request, **kwargs):
    return HttpResponse(status=501)


def assessment_edit(request, **kwargs):
    return HttpResponse(status=501)


def assessment_submit(request, **kwargs):
    return HttpResponse(status=501)


def assessment_decide(request, **kwargs):
    return HttpResponse(status=501)


def reassessment_request(request, **kwargs):
    return HttpResponse(status=501)
