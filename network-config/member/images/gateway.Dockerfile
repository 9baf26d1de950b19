# The gateway-service of one member org: the runnable jar on a Java 17 runtime. Built by compose.yaml from the
# repository root; build the jar first: mvn -B -ntp -pl gateway-service -am package -DskipTests
# Configuration comes from the environment (compose.yaml, README.md); state lives in /var/lib/gridledger (a volume).
FROM eclipse-temurin:17-jre

RUN groupadd --system gridledger && useradd --system --gid gridledger --no-create-home gridledger \
    && mkdir -p /var/lib/gridledger && chown gridledger:gridledger /var/lib/gridledger
# health.sh is committed executable; COPY keeps its mode (no --chmod: the classic builder lacks it).
COPY --chown=root:root network-config/member/images/health.sh /opt/gridledger/health
COPY --chown=root:root gateway-service/target/gridledger-gateway.jar /opt/gridledger/gridledger-gateway.jar

USER gridledger
WORKDIR /var/lib/gridledger
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/gridledger/gridledger-gateway.jar"]
