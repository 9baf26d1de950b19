package io.gridledger.gateway.auth;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokensTest {

    @TempDir
    Path dir;

    private ApiTokens tokens(String bootstrap, Clock clock) {
        var settings = new AuthSettings(dir.resolve("tokens.json").toString(), bootstrap, "admin", "Admin",
                "gridledger_identity", Duration.ofDays(365));
        return new ApiTokens(settings, JsonMapper.createDefault(), null, clock);
    }

    @Test
    void a_token_is_kept_only_as_its_hash_in_an_owner_only_file_and_survives_a_restart() throws Exception {
        var issued = tokens(null, Clock.systemUTC()).create("p1", "User1", EnumSet.of(Scope.JOBS_READ), Duration.ofHours(1));

        var file = dir.resolve("tokens.json");
        assertThat(Files.readString(file)).doesNotContain(issued.token()).contains(issued.record().hash());
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        var restarted = tokens(null, Clock.systemUTC());
        assertThat(restarted.authenticate(issued.token())).hasValueSatisfying(t -> {
            assertThat(t.partnerId()).isEqualTo("p1");
            assertThat(t.identity()).isEqualTo("User1");
        });
        assertThat(restarted.authenticate(issued.token() + "x")).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("tokens.json");
        }
    }

    @Test
    void an_expired_or_revoked_token_authenticates_nobody() {
        var start = Instant.parse("2026-01-01T00:00:00Z");
        var clock = new Clock() {
            Instant now = start;

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        var tokens = tokens(null, clock);
        var expiring = tokens.create("p", "User1", EnumSet.of(Scope.JOBS_READ), Duration.ofMinutes(1));
        var revoked = tokens.create("p", "User1", EnumSet.of(Scope.JOBS_READ), Duration.ofDays(1));
        assertThat(tokens.revoke(revoked.record().tokenId())).isTrue();
        clock.now = start.plusSeconds(61);

        assertThat(tokens.authenticate(expiring.token())).isEmpty();
        assertThat(tokens.authenticate(revoked.token())).isEmpty();
    }

    @Test
    void only_the_admin_role_acts_as_the_org_admin_and_it_always_does() {
        var tokens = tokens(null, Clock.systemUTC());
        assertThat(tokens.create("root", null, EnumSet.of(Scope.ADMIN), Duration.ofHours(1)).record().identity()).isEqualTo("Admin");
        assertThatThrownBy(() -> tokens.create("p", "Admin", EnumSet.of(Scope.JOBS_READ), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.create("p", "User1", EnumSet.of(Scope.ADMIN), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.create("p", "User1", Set.of(), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.create("p", "User1", EnumSet.of(Scope.JOBS_READ), Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_bootstrap_admin_token_is_accepted_from_the_first_start_and_a_short_one_is_refused() {
        var secret = "operator-generated-secret-0123456789abcdef";
        var tokens = tokens(secret, Clock.systemUTC());
        assertThat(tokens.authenticate(secret)).hasValueSatisfying(t -> {
            assertThat(t.scopes()).contains(Scope.ADMIN);
            assertThat(t.identity()).isEqualTo("Admin");
        });
        assertThat(tokens(secret, Clock.systemUTC()).list()).hasSize(1);
        assertThatThrownBy(() -> tokens("short", Clock.systemUTC())).isInstanceOf(IllegalStateException.class);
    }
}
