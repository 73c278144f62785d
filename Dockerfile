# Countersign container image (docs/deploy.md). Not built in CI, but its package lists are
# checked against the build packages and the binary (tests/packaging/dockerfile_packages.sh).
# Build and run with
#   docker build -t countersign .
#   docker run -p 8080:8080 -v countersign-data:/data \
#     -e COUNTERSIGN_BASE_URL=https://sign.example.com countersign
# Every `serve` option can be given as COUNTERSIGN_<OPTION> (COUNTERSIGN_SMTP_PASSWORD, ...), or
# in a TOML file mounted and named with --config. Put TLS in front (deploy/nginx-countersign.conf).

# --- Build stage: the packages of scripts/lib/deps.sh (CS_BUILD_PACKAGES), server target only.
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake ninja-build g++ pkg-config \
      librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev \
      nlohmann-json3-dev libsqlite3-dev libsodium-dev libcurl4-openssl-dev \
      libctemplate-dev libcli11-dev libqpdf-dev libpoppler-cpp-dev zlib1g-dev \
      libgtest-dev libgmock-dev libbenchmark-dev libssl-dev libpq-dev libspdlog-dev \
      prometheus-cpp-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build /build --target countersign -j"$(nproc)" \
 && strip --strip-debug -o /countersign /build/countersign

# --- Runtime stage: the shared libraries the binary links, pdftoppm, CA certificates.
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates poppler-utils \
      libctemplate3 libcurl4 libfmt9 libhttp-parser2.9 libpoppler-cpp0v5 libpq5 libqpdf29 \
      libsodium23 libspdlog1.10 libsqlite3-0 libssl3 libprometheus-cpp-core1.0 libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 countersign \
 && useradd --system --uid 10001 --gid countersign --home-dir /data --shell /usr/sbin/nologin \
      countersign \
 && install -d -o countersign -g countersign -m 700 /data
COPY --from=build /countersign /usr/local/bin/countersign
USER countersign:countersign
VOLUME ["/data"]
EXPOSE 8080
ENV COUNTERSIGN_DATA_DIR=/data \
    COUNTERSIGN_BIND=0.0.0.0 \
    COUNTERSIGN_PORT=8080
ENTRYPOINT ["/usr/local/bin/countersign"]
CMD ["serve"]
