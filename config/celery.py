"""The Celery application: Redis as broker when REDIS_URL is set, in-process otherwise."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("safer_schools")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect(dispatch_uid="config.celery.warm_pdf_main")
@worker_process_init.connect(dispatch_uid="config.celery.warm_pdf_process")
def warm_pdf(**kwargs):
    """Warm WeasyPrint in the worker's main process (the solo pool renders there; prefork's
    pool processes inherit it) and in each pool process (config/warmup.py)."""
    from config.warmup import warm_pdf as warm

    warm()
