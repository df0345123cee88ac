FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY webhook_receiver ./webhook_receiver
COPY workers ./workers
COPY devstack ./devstack
COPY migrations ./migrations
RUN pip install --no-cache-dir . && useradd --create-home app
USER app
ENV MIGRATIONS_DIR=/app/migrations \
    LITELLM_LOCAL_MODEL_COST_MAP=True
