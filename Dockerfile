# Build stage: the same Maven command and jar as .ci/run and the README.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

# Run stage: a JRE only, as a non-root user, state on a volume.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app onboard \
 && mkdir -p /app /data && chown onboard /data
COPY --from=build /src/target/aws-onboard.jar /app/aws-onboard.jar
COPY bin/aws-onboard /app/bin/aws-onboard
USER onboard
WORKDIR /app
# The launcher's JVM settings (C1 only, serial collector, 96 MiB heap: AWS_ONBOARD_HEAP, background work at nice 19)
# and its class-data sharing archive, written on the volume when the bot first stops and used by
# every start after.
ENV PORT=3000 \
    DATABASE_URL=jdbc:sqlite:/data/aws-onboard.db \
    AWS_ONBOARD_JAR=/app/aws-onboard.jar \
    AWS_ONBOARD_CDS_ARCHIVE=/data/aws-onboard.jsa
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/aws-onboard.jar", "healthcheck"]
ENTRYPOINT ["/app/bin/aws-onboard"]
