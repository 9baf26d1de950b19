# The provider agent of one node: the runnable jar on a Java 17 runtime. Built by compose.yaml from the repository
# root; build the jar first: mvn -B -ntp -pl provider-agent -am package -DskipTests
# It runs as root: it drives the host's engine through the mounted Docker socket (root-equivalent anyway) and hands
# each job's folders to the job's non-root user (uid 65534).
FROM eclipse-temurin:17-jre

# health.sh is committed executable; COPY keeps its mode (no --chmod: the classic builder lacks it).
COPY --chown=root:root network-config/member/images/health.sh /opt/gridledger/health
COPY --chown=root:root provider-agent/target/gridledger-agent.jar /opt/gridledger/gridledger-agent.jar

WORKDIR /var/lib/gridledger
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "/opt/gridledger/gridledger-agent.jar"]
