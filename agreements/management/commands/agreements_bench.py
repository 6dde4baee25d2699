"""Print the time to render and seal one MoU (JSON), for `make bench`."""

import json

from django.core.management.base import BaseCommand

from benchmarks.mou_seal import bench_render_and_seal


class Command(BaseCommand):
    help = "Render and seal one throwaway MoU (rolled back) and print the timings as JSON."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(bench_render_and_seal()))
