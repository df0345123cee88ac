FROM python:3.11-slim
WORKDIR /app
# Dependencies first, exactly as locked and checked by hash; a code change reuses this layer.
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
# The service's own packages only: the local stack (devstack/) stays out of the image.
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY webhook_receiver ./webhook_receiver
COPY workers ./workers
COPY migrations ./migrations
RUN pip install --no-cache-dir --no-deps . && useradd --create-home app
USER app
ENV MIGRATIONS_DIR=/app/migrations \
    LITELLM_LOCAL_MODEL_COST_MAP=True
