# syntax=docker/dockerfile:1
# Streamtune images. One image runs any of the four services (its argument picks which):
#   docker build --target runtime -t streamtune:0.1.0 .
#   docker run streamtune:0.1.0 serving
# and a trainer image whose PyTorch is the CUDA 12.8 build (the trainer stays CPU-only in the runtime image):
#   docker build --target trainer-gpu -t streamtune-trainer-gpu:0.1.0 .
# deploy/README.md describes both, docker-compose.yml and deploy/k8s/ use them; deploy/ tests check this file.

# --- build: the four services and their runtime dependencies, laid out under /opt/streamtune -----------------
FROM maven:3.9.11-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The layout step reads the jars' paths in ~/.m2 from each service's runtime-classpath.txt, so it has to run
# while the cache mount is there.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -pl ingest,trainer,evaluator,serving -am package \
    && deploy/docker/layout.sh /src /opt/streamtune

# --- runtime: JRE + every service; `streamtune-service <ingest|trainer|evaluator|serving>` -------------------
FROM eclipse-temurin:17.0.16_8-jre-noble AS runtime
RUN groupadd --system --gid 10001 streamtune \
    && useradd --system --uid 10001 --gid streamtune --create-home --home-dir /home/streamtune streamtune \
    && install -d -o streamtune -g streamtune /var/lib/streamtune
COPY --from=build /opt/streamtune /opt/streamtune
COPY deploy/docker/streamtune-service deploy/docker/streamtune-healthcheck /usr/local/bin/
# STREAMTUNE_HOME holds adapters, checkpoints and ingest state: mount one shared volume here.
# DJL extracts libtorch (~430 MB) into ~/.djl.ai on first start.
# STREAMTUNE_BIND_HOST: the services listen on loopback by default (the local run); in a container that would be
# unreachable, so the images listen on every interface and the network (ports, Service) decides who reaches them.
ENV STREAMTUNE_HOME=/var/lib/streamtune \
    STREAMTUNE_BIND_HOST=0.0.0.0 \
    OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true
USER 10001:10001
WORKDIR /var/lib/streamtune
EXPOSE 8080 8081 8082 8083
ENTRYPOINT ["streamtune-service"]

# --- libtorch: the CUDA 12.8 build matching the pytorch-jni 2.7.1 binding (see library-facts: GPU) -----------
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS libtorch
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
# DJL loads every file in the library folder it is given: keep only the shared libraries (no static ones, test
# backends, headers or CMake files).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unzip \
    && curl -fsSL --retry 3 -o /tmp/libtorch.zip "$LIBTORCH_URL" \
    && unzip -q /tmp/libtorch.zip -d /opt \
    && rm /tmp/libtorch.zip \
    && find /opt/libtorch/lib -type f ! -name '*.so*' -delete \
    && find /opt/libtorch/lib -type f -name '*_test.so' -delete \
    && rm -rf /opt/libtorch/include /opt/libtorch/share /opt/libtorch/bin

# --- trainer-gpu: CUDA runtime + Temurin JRE + libtorch cu128; runs the trainer by default --------------------
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS trainer-gpu
COPY --from=eclipse-temurin:17.0.16_8-jre-noble /opt/java/openjdk /opt/java/openjdk
COPY --from=libtorch /opt/libtorch /opt/libtorch
RUN groupadd --system --gid 10001 streamtune \
    && useradd --system --uid 10001 --gid streamtune --create-home --home-dir /home/streamtune streamtune \
    && install -d -o streamtune -g streamtune /var/lib/streamtune
COPY --from=build /opt/streamtune /opt/streamtune
COPY deploy/docker/streamtune-service deploy/docker/streamtune-healthcheck /usr/local/bin/
# PYTORCH_LIBRARY_PATH makes DJL load this libtorch instead of the CPU one in the jars; PYTORCH_FLAVOR picks the
# cu128 JNI binding inside pytorch-jni 2.7.1-0.35.1 and PYTORCH_VERSION must match that jar. STREAMTUNE_DEVICE=gpu
# puts the model's arrays on the first CUDA device (and fails loudly at start when there is none).
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    LANG=C.UTF-8 \
    PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_FLAVOR=cu128 \
    PYTORCH_VERSION=2.7.1 \
    STREAMTUNE_DEVICE=gpu \
    STREAMTUNE_HOME=/var/lib/streamtune \
    STREAMTUNE_BIND_HOST=0.0.0.0 \
    OPT_OUT_TRACKING=true \
    DJL_OFFLINE=true
USER 10001:10001
WORKDIR /var/lib/streamtune
EXPOSE 8082
ENTRYPOINT ["streamtune-service"]
CMD ["trainer"]
