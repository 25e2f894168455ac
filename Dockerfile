# FrameGuard detector image: builds the jar with Maven, runs `frameguard serve`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY .mvn .mvn
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY schemas schemas
COPY src src
RUN mvn -q -B -DskipTests -DskipITs package

# bin/frameguard starts the JVM as it does on a developer's machine: the native build (AVX2 or not),
# the OpenBLAS kernels and the DL4J threading are chosen from the CPU the container runs on.
# target/lib is the runtime classpath only: no JUnit, no unused plain nd4j-native natives (pom.xml).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 frameguard \
 && useradd --system --uid 10001 --gid frameguard --create-home --home-dir /home/frameguard frameguard \
 && mkdir /state && chown frameguard:frameguard /state
WORKDIR /app
COPY --from=build /src/target/frameguard.jar /app/target/frameguard.jar
COPY --from=build /src/target/lib /app/target/lib
COPY bin /app/bin
COPY config /app/config
# Not root. JavaCPP unpacks the natives into $HOME/.javacpp at start-up, so the user has a home;
# /state (the Kafka Streams stores) is the only other place it writes.
USER frameguard

# Memory. A detector's RSS is the Java heap + ND4J's arrays, which JavaCPP allocates off the heap
# (network parameters, batch tensors, oneDNN workspaces) + the JVM itself (metaspace, code cache,
# thread stacks) + RocksDB (state stores) + the mapped native libraries (~0.3 GB for ND4J/oneDNN).
#   -Xmx1g          the heap: Kafka clients, records in flight, Avro, the batch's bytes. Enough for
#                   batch.size=256 of 28x28 frames with a 1 MB max.frame.bytes.
#   org.bytedeco.javacpp.maxbytes=512m
#                   cap on ND4J's off-heap arrays (JavaCPP's default: the -Xmx value). The 28x28
#                   families need a few MB; raise it for large frames, tiles or big batches.
#   org.bytedeco.javacpp.maxphysicalbytes=2560m
#                   cap on the process's RSS as JavaCPP sees it before it allocates: past it, JavaCPP
#                   runs the GC and then throws OutOfMemoryError, instead of the kernel OOM-killing the
#                   container. Its default (maxbytes + 3 x -Xmx, 3.5 GB here) ignores a container's
#                   limit; keep it under the limit (docker-compose.yml sets mem_limit: 3g).
# Change all three together, e.g. FRAMEGUARD_JAVA_OPTS="-Xmx2g -Dorg.bytedeco.javacpp.maxbytes=1g ...".
ENV FRAMEGUARD_JAVA_OPTS="-Xmx1g -Dorg.bytedeco.javacpp.maxbytes=512m -Dorg.bytedeco.javacpp.maxphysicalbytes=2560m"

# Readiness: 200 only while the stream application is RUNNING with a model (README, "Probes").
# bash's /dev/tcp, as the JRE image has no curl; the port follows FRAMEGUARD_HTTP_PORT if set.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FRAMEGUARD_HTTP_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/bin/frameguard"]
CMD ["serve", "--config", "/app/config/docker.properties"]
