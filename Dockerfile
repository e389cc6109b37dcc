FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=false CSP_VAR_DIR=/app/var
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -c constraints.txt .
# The Welsh catalogue is compiled here: the .mo files are not committed.
RUN DJANGO_SECRET_KEY=build-only-collectstatic python manage.py compilemessages \
    && DJANGO_SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput \
    && useradd --system --home /app csp && mkdir -p /app/var/media && chown -R csp /app/var
USER csp
EXPOSE 8000
# --timeout above the database's connect and statement timeouts (5 s, 30 s): see settings.py.
# csp_portal/gunicorn.py: 3 workers, the heap frozen after fork, metrics across worker
# processes, and no access log (paths hold tokens).
CMD ["gunicorn", "csp_portal.wsgi:application", "--config", "python:csp_portal.gunicorn", "--bind", "0.0.0.0:8000"]
