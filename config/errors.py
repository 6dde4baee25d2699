"""The page for a server error: a 503 "try again shortly" while the database is out of reach.

Django calls handler500 from inside the exception handler, so the error is at hand. When
PostgreSQL is down or restarting, every request fails to connect; each transaction is rolled
back whole (nothing is half-saved), and the person is told the service is briefly
unavailable, with Retry-After, rather than that something went wrong with what they did.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def handler500(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # Rendered without a request or context processors: they might need the database.
        body = loader.get_template("503.html").render()
        response = HttpResponseServerError(body)
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return server_error(request, template_name)
