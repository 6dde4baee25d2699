"""The benchmark finds or starts PostgreSQL and Redis on this machine when none is named."""

import shutil
import socket

import pytest

from benchmarks import services

LISTING = """\
15  main    5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log
16  extra   5433 down   postgres /var/lib/postgresql/16/extra /var/log/postgresql/postgresql-16-extra.log
"""


def test_the_cluster_listing_is_read():
    assert services.parse_clusters(LISTING) == [
        services.Cluster("15", "main", 5432, True),
        services.Cluster("16", "extra", 5433, False),
    ]
    assert services.parse_clusters("") == []
    assert services.parse_clusters("Ver Cluster Port Status\n") == []


def test_without_postgresql_it_says_so(monkeypatch):
    said = []
    monkeypatch.setattr(services.shutil, "which", lambda name: None)
    assert services.local_postgres(said.append) is None
    assert "not installed" in said[0]


def _online_cluster():
    if not shutil.which("pg_lsclusters"):
        return None
    listing = services._run(["pg_lsclusters", "--no-header"]).stdout
    return next((c for c in services.parse_clusters(listing) if c.online), None)


@pytest.mark.skipif(_online_cluster() is None, reason="no PostgreSQL cluster running here")
def test_this_machines_postgresql_is_used_with_the_benchmark_role():
    import psycopg2

    said = []
    url = services.local_postgres(said.append)
    assert url is not None, said
    assert url.endswith(f":{_online_cluster().port}/{services.DATABASE}")
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == services.ROLE
    finally:
        connection.close()


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_a_redis_is_started_for_the_run_and_stopped_after():
    import redis

    with services.local_redis(print) as url:
        assert url is not None
        assert redis.Redis.from_url(url).ping()
        port = int(url.rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
