# The base images are build arguments, with today's defaults; CI builds this same file on Debian bases
# it makes itself (.ci/run: mmdebstrap, then podman build --build-arg BUILD_IMAGE=... --build-arg RUN_IMAGE=...).
# A run image needs java (17+), bash and useradd; a build image Maven and a JDK 17.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUN_IMAGE=eclipse-temurin:17-jre

# Build stage: the same Maven command and jar as .ci/run and the README.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml manifest.yml ./
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

# Run stage: a JRE only, as a non-root user, state on a volume.
FROM ${RUN_IMAGE}
RUN useradd --system --uid 10001 --user-group --home-dir /app onboard \
 && mkdir -p /app /data && chown onboard:onboard /data
COPY --from=build /src/target/aws-onboard.jar /app/aws-onboard.jar
COPY bin/aws-onboard /app/bin/aws-onboard
COPY bin/healthcheck /app/bin/healthcheck
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
# GET /healthz from bash: no JVM per probe (bin/healthcheck).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["/app/bin/healthcheck"]
ENTRYPOINT ["/app/bin/aws-onboard"]
