package io.gridledger.chaincode.domain;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Asserts that code is refused with a given {@link ErrorCode}.
 *
 * <pre>
 *   assertRejected(() -> replica.commit(c, late), ErrorCode.DEADLINE_PASSED).hasMessageContaining("has passed");
 * </pre>
 */
public final class Rejections {

    private Rejections() {
    }

    public static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ThrowingCallable call, ErrorCode code) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(Rejection.class, rejection -> assertThat(rejection.code()).isEqualTo(code));
    }

    /** Refused as {@link ErrorCode#INVALID_ARGUMENT}. */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(ThrowingCallable call) {
        return assertRejected(call, ErrorCode.INVALID_ARGUMENT);
    }
}
