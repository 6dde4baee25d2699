# syntax=docker/dockerfile:1
# One image for the web (gunicorn), the Celery worker and Celery beat.

# 1. Front-end assets: GOV.UK Frontend and MOJ Frontend built into static/dist/.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/ scripts/
COPY static/src/ static/src/
RUN node scripts/build-assets.mjs

# 2. The application.
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/data/media

# The libraries and a font WeasyPrint renders PDFs with; unpinned, to take Debian's security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libjpeg62-turbo \
        libopenjp2-7 \
        shared-mime-info \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
COPY --from=assets /build/static/dist/ static/dist/

# Settings need a key even to collect static files: a throwaway one, for this step only.
RUN SECRET_KEY=collectstatic-only-not-a-secret DEBUG=0 TESTING=0 \
        python manage.py collectstatic --no-input \
    && chmod 0755 docker/entrypoint.sh \
    && mkdir -p /app/var /data/media \
    && chown app:app /app/var /data/media

# The code stays root's and read-only; the app writes only to var/ and the media volume.
USER 10001:10001
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Workers from WEB_CONCURRENCY (default 2 x cores + 1), each replaced after about 1,000 requests
# (with jitter); the access log masks invitation, password-reset and calendar tokens.
CMD ["gunicorn", "-c", "config/gunicorn_conf.py", "config.wsgi:application"]
