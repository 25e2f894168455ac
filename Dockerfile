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
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/frameguard.jar /app/target/frameguard.jar
COPY --from=build /src/target/lib /app/target/lib
COPY bin /app/bin
COPY config /app/config
ENV FRAMEGUARD_JAVA_OPTS=-Xmx1g
ENTRYPOINT ["/app/bin/frameguard"]
CMD ["serve", "--config", "/app/config/docker.properties"]
