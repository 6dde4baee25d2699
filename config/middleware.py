"""Middleware of the whole project, not of one app."""

from django.shortcuts import render

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    """A NUL character is never typed by a person and PostgreSQL refuses it in any text, so a
    query string or form carrying one would reach the database and fail there. Refuse it at the
    door, for every page at once, with a 400 that says what was wrong."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request.GET) or (
            request.method == "POST" and self._carries_nul(request.POST)
        ):
            return render(
                request,
                "400.html",
                {
                    "reason": "What you sent contains a character that is not allowed "
                    "(a null character). Go back, remove it and try again."
                },
                status=400,
            )
        return self.get_response(request)

    @staticmethod
    def _carries_nul(data) -> bool:
        return any(NUL in key or any(NUL in value for value in data.getlist(key)) for key in data)
