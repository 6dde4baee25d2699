"""Placeholder replaced by the health check."""

from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})
