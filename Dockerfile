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
USER onboard
WORKDIR /app
ENV PORT=3000 \
    DATABASE_URL=jdbc:sqlite:/data/aws-onboard.db \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/aws-onboard.jar", "healthcheck"]
ENTRYPOINT ["java", "-jar", "/app/aws-onboard.jar"]
