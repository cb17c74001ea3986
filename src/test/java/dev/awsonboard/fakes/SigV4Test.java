package dev.awsonboard.fakes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The fake's SigV4 check against requests from AWS's published SigV4 test suite. */
class SigV4Test {
    static final String KEY = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    record Case(String name, SigV4.Request request, String canonical, String authorization) {
        @Override
        public String toString() {
            return name;
        }

        Case with(String header, String value) {
            Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
            headers.put(header, List.of(value));
            return new Case(name, new SigV4.Request(request.method(), request.rawPath(), request.rawQuery(), headers,
                    request.body()), canonical, authorization);
        }

        Case withBody(String body) {
            return new Case(name, new SigV4.Request(request.method(), request.rawPath(), request.rawQuery(),
                    request.headers(), body.getBytes(StandardCharsets.UTF_8)), canonical, authorization);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildsTheCanonicalRequestAwsPublished(Case c) {
        List<String> signed = Arrays.asList(c.authorization().replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";"));

        assertThat(SigV4.canonicalRequest(c.request(), signed)).isEqualTo(c.canonical());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void acceptsTheSignatureAwsPublished(Case c) {
        SigV4.Signer signer = verify(c, Optional.of(SECRET), "service");

        assertThat(signer).isEqualTo(new SigV4.Signer(KEY, "20150830", "us-east-1", "service"));
    }

    @Test
    void aBodyChangedAfterSigningNoLongerMatches() {
        Case c = named("post-x-www-form-urlencoded").withBody("Param1=value2");

        SigV4.Rejected e = rejected(() -> verify(c, Optional.of(SECRET), "service"));

        assertThat(e.status).isEqualTo(403);
        assertThat(e.code).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getMessage()).startsWith("The request signature we calculated does not match");
    }

    @Test
    void aSignedHeaderChangedAfterSigningNoLongerMatches() {
        Case c = named("get-vanilla").with("Host", "example.amazonaws.com:8080");

        assertThat(rejected(() -> verify(c, Optional.of(SECRET), "service")).code).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void theWrongSecretDoesNotMatch() {
        SigV4.Rejected e = rejected(() -> verify(named("get-vanilla"), Optional.of("another-secret"), "service"));

        assertThat(e.code).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.status).isEqualTo(403);
    }

    @Test
    void anUnknownAccessKeyIsAnInvalidClientTokenId() {
        SigV4.Rejected e = rejected(() -> verify(named("get-vanilla"), Optional.empty(), "service"));

        assertThat(e.code).isEqualTo("InvalidClientTokenId");
        assertThat(e.status).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void aScopeForAnotherServiceIsRefusedNamingTheRightOne() {
        SigV4.Rejected e = rejected(() -> verify(named("get-vanilla"), Optional.of(SECRET), "iam"));

        assertThat(e.code).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getMessage()).contains("Credential should be scoped to correct service: 'iam'");
    }

    @Test
    void aScopeForARegionTheServiceDoesNotServeIsRefused() {
        Case c = named("get-vanilla");

        SigV4.Rejected e = rejected(() -> SigV4.verify(c.request(), k -> Optional.of(SECRET), "service",
                region -> region.equals("eu-west-1")));

        assertThat(e.code).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getMessage()).contains("Credential should be scoped to a valid region, not 'us-east-1'");
    }

    @Test
    void aDateOutsideTheScopeIsRefused() {
        Case c = named("get-vanilla").with("X-Amz-Date", "20150831T000000Z");

        assertThat(rejected(() -> verify(c, Optional.of(SECRET), "service")).getMessage())
                .contains("Date in Credential scope does not match");
    }

    @Test
    void noAuthorizationIsAMissingAuthenticationToken() {
        Case c = named("get-vanilla");
        Map<String, List<String>> headers = new LinkedHashMap<>(c.request().headers());
        headers.remove("Authorization");
        var unsigned = new SigV4.Request("GET", "/", null, headers, new byte[0]);

        SigV4.Rejected e = rejected(() -> SigV4.verify(unsigned, k -> Optional.of(SECRET), "service", r -> true));

        assertThat(e.code).isEqualTo("MissingAuthenticationToken");
        assertThat(e.status).isEqualTo(403);
    }

    @Test
    void anAuthorizationWithoutASignatureIsIncomplete() {
        Case c = named("get-vanilla").with("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date");

        SigV4.Rejected e = rejected(() -> verify(c, Optional.of(SECRET), "service"));

        assertThat(e.code).isEqualTo("IncompleteSignature");
        assertThat(e.status).isEqualTo(400);
        assertThat(e.getMessage()).contains("requires 'Signature' parameter");
    }

    @Test
    void anUnsignedHostIsIncomplete() {
        Case c = named("get-vanilla").with("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=x-amz-date, Signature=00");

        assertThat(rejected(() -> verify(c, Optional.of(SECRET), "service")).code).isEqualTo("IncompleteSignature");
    }

    private static SigV4.Signer verify(Case c, Optional<String> secret, String service) {
        return SigV4.verify(c.request(), k -> k.equals(KEY) ? secret : Optional.empty(), service,
                region -> region.equals("us-east-1"));
    }

    private static SigV4.Rejected rejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        SigV4.Rejected e = catchThrowableOfType(SigV4.Rejected.class, call);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private static Case named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** Parses src/test/resources/vectors/sigv4-testsuite.txt (format in its header). */
    static List<Case> cases() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Vectors.path("sigv4-testsuite.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("=== ")) {
                continue;
            }
            String name = lines.get(i).substring(4);
            int canonicalAt = lines.subList(i, lines.size()).indexOf("--- canonical") + i;
            int authorizationAt = lines.subList(i, lines.size()).indexOf("--- authorization") + i;
            List<String> request = lines.subList(i + 1, canonicalAt);
            String[] requestLine = request.get(0).split(" ", 2);
            String target = requestLine[1];
            int q = target.indexOf('?');
            Map<String, List<String>> headers = new LinkedHashMap<>();
            int line = 1;
            for (; line < request.size() && !request.get(line).isEmpty(); line++) {
                String header = request.get(line);
                int colon = header.indexOf(':');
                headers.computeIfAbsent(header.substring(0, colon), h -> new ArrayList<>()).add(header.substring(colon + 1));
            }
            String body = line < request.size() ? String.join("\n", request.subList(line + 1, request.size())) : "";
            String authorization = lines.get(authorizationAt + 1);
            headers.put("Authorization", List.of(authorization));
            cases.add(new Case(name, new SigV4.Request(requestLine[0], q < 0 ? target : target.substring(0, q),
                    q < 0 ? null : target.substring(q + 1), headers, body.getBytes(StandardCharsets.UTF_8)),
                    String.join("\n", lines.subList(canonicalAt + 1, authorizationAt)), authorization));
        }
        assertThat(cases).as("vectors").hasSizeGreaterThanOrEqualTo(7);
        return cases;
    }
}
