package io.gridledger.exchange;

import java.util.List;

/**
 * The body of every refusal (the gateway's one error body): {@code code} is stable (NODE-EXCHANGE.md lists the
 * exchange's), {@code message} is for people, {@code details} name the header, parameter or field that was wrong.
 */
public record ErrorBody(String code, String message, List<Detail> details) {

    public record Detail(String field, String reason) {
    }
}
