# FrameGuard detector image: builds the jar with Maven, runs `frameguard serve`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY .mvn .mvn
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY schemas schemas
COPY src src
RUN mvn -q -B -DskipTests -DskipITs package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/frameguard.jar /app/frameguard.jar
COPY --from=build /src/target/lib /app/lib
COPY config /app/config
ENV OMP_NUM_THREADS=1
ENTRYPOINT ["java", "-Xmx1g", "-Djava.awt.headless=true", \
  "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2", \
  "-Dorg.eclipse.deeplearning4j.helpers.disable=false", \
  "-jar", "/app/frameguard.jar"]
CMD ["serve", "--config", "/app/config/docker.properties"]
