package io.gridledger.gateway;

import io.micronaut.runtime.Micronaut;

/**
 * The gateway service of one member org: {@code java -jar gateway-service/target/gridledger-gateway.jar}, configured
 * by {@code application.properties} and environment variables ({@code GRIDLEDGER_FABRIC_PEER_ENDPOINT=…}).
 */
public final class GatewayApplication {

    private GatewayApplication() {
    }

    public static void main(String[] args) {
        Micronaut.run(GatewayApplication.class, args);
    }
}
