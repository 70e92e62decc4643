# syntax=docker/dockerfile:1
# Pressedienst CMS: gunicorn + whitenoise on production settings, running as a non-root user.
#
#   docker build -t pressedienst .
#   docker run --rm -v pressedienst-data:/data --env-file .env pressedienst python manage.py migrate --noinput
#   docker run -d -p 8000:8000 -v pressedienst-data:/data --env-file .env pressedienst
#   docker run -d -v pressedienst-data:/data --env-file .env pressedienst docker/publish-scheduled.sh
#
# Migrations are a separate, explicit step (never in CMD) so that several web containers can
# start at once and a failed migration never takes the running site down. See README.md.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- builder: a virtualenv with the plugin's wheel and the host site's requirements --------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
# First the dependencies pinned in pyproject.toml: the plugin's own and the `site` extra (not
# the dev extra). A layer of their own, so that a change to the code does not reinstall them.
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + p['optional-dependencies']['site']))" > requirements.txt \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
# Then the plugin itself, installed from its wheel like any adopting site would (the
# `wagtail-press-releases` distribution holds the `press` package alone).
COPY press ./press
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps .

# --- runtime -------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# PRIVATE_MEDIA_ROOT is a directory (uploads not served as they are), not a secret.
# hadolint ignore=DL3064
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private-media \
    DATABASE_URL=sqlite:////data/db.sqlite3 \
    PORT=8000

# Pango and a font for WeasyPrint, which makes the releases' print version (PDF). Debian's
# stable packages, updated with the base image rather than pinned one by one.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 press \
    && useradd --system --uid 10001 --gid press --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin press \
    && mkdir -p /data/media /data/private-media \
    && chown -R press:press /data

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The host site runs from /app like from a checkout: settings and URLconf (cms/), the home
# page app (home/), the site's templates, manage.py, the gunicorn configuration and the
# container scripts. press/ is not copied: it is the installed package in /opt/venv, and a
# copy here would shadow it. The code stays owned by root: the application user can read it
# but not change it.
COPY cms ./cms
COPY home ./home
COPY templates ./templates
COPY docker ./docker
COPY manage.py gunicorn.conf.py ./

# collectstatic needs the production settings to load, and they refuse to start without a
# SECRET_KEY. A random throwaway key, generated inside this one RUN, satisfies them and is
# never stored in the image (a build ARG would be, in its history).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput \
    && chmod 0755 docker/*.sh

# Numeric ids, so that Kubernetes' runAsNonRoot can verify them.
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]

CMD ["gunicorn", "--config", "gunicorn.conf.py", "cms.wsgi:application"]
