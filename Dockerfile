# Production image: daphne serving the ASGI app. Configuration comes from the environment.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0 VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles
WORKDIR /app
RUN useradd --create-home --uid 10001 app
COPY pyproject.toml ./
RUN pip install --no-cache-dir . && mkdir -p /app/var /app/staticfiles && chown -R app /app
COPY --chown=app . .
# collectstatic needs a throw-away key at build time only; the real one comes at run time.
RUN SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 python manage.py collectstatic --noinput
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "--websocket_timeout", "3600", "--websocket-max-message-size", "4096", "--websocket-max-frame-size", "4096", "community.asgi:application"]
