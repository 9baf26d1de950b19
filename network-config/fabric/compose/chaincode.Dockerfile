# The GridLedger chaincode as a service: the chaincode jar on a Java 17 runtime. Built by compose from the
# repository root (build the jar first: mvn -pl chaincode -am package, which network.sh deploy does).
# One container per member org (compose.yaml): its peer reaches it at CHAINCODE_SERVER_ADDRESS;
# CORE_CHAINCODE_ID_NAME is the package ID that org installed, CORE_PEER_LOCALMSPID the org's MSP ID.
FROM eclipse-temurin:17-jre

RUN groupadd --system gridledger && useradd --system --gid gridledger --no-create-home gridledger
COPY --chown=root:root chaincode/target/gridledger-chaincode.jar /opt/gridledger/gridledger-chaincode.jar

USER gridledger
ENV CHAINCODE_SERVER_ADDRESS=0.0.0.0:9999
EXPOSE 9999
ENTRYPOINT ["java", "-jar", "/opt/gridledger/gridledger-chaincode.jar"]
