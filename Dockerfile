# The one image of every Steward process (web, workers, beat); compose.yaml picks the command.
#   docker build -t steward .
#   docker build --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128 -t steward-gpu .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# torch first, pinned, from the CPU wheel index: left to the resolver it would pull gigabytes of
# CUDA packages. The GPU image passes the CUDA index instead. Its own layer: rebuilt rarely.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "$TORCH_INDEX_URL" torch==2.13.0

# Then the project and its pinned dependencies (the `ml` extra: the embeddings worker's).
COPY . .
RUN pip install ".[ml]"

# An unprivileged user owns what the processes write: model files, avatars, beat's schedule.
# Static files are collected now, into the image (the settings need some key and database to
# load; neither is used).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home steward \
    && mkdir -p var/models var/avatars var/beat \
    && DJANGO_SETTINGS_MODULE=config.settings.production \
       SECRET_KEY=collectstatic-only-not-secret \
       DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
       python manage.py collectstatic --noinput \
    && chown -R steward:steward var

USER steward
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
