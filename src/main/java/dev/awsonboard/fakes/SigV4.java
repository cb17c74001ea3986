package dev.awsonboard.fakes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way AWS does: it rebuilds
 * the canonical request from what arrived (method, path, query, the signed headers, the hash of
 * the body), derives the signing key from the secret it knows for the access key, and compares.
 * Steps and names follow "Create a signed AWS API request"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html);
 * {@code SigV4Test} replays requests of AWS's published SigV4 test suite.
 *
 * <p>Not checked: the request time against the server's clock (the fakes run on fixed test
 * clocks while the SDK signs with the wall clock), session tokens, presigned query strings.
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Pattern PART = Pattern.compile("(Credential|SignedHeaders|Signature)=([^,\\s]*)");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+|aws-global");
    private static final HexFormat HEX = HexFormat.of();

    /** What arrived: header names in any case, the path and query as sent on the wire (still percent-encoded). */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        List<String> headerValues(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    /** Who signed, and for what scope. */
    record Signer(String accessKeyId, String date, String region, String service) {
    }

    /** An AWS error answer for a request whose signature does not hold. */
    static final class Rejected extends RuntimeException {
        final int status;
        final String code;

        Rejected(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private SigV4() {
    }

    /**
     * @param secretOf the secret access key for an access key id, empty when AWS would not know the key
     * @param service  the service name the scope must carry ({@code iam}, {@code sts})
     * @param regionOk which regions the scope may carry (IAM: only us-east-1; a regional STS: its region)
     * @throws Rejected with AWS's error code and HTTP status when the request would be refused
     */
    static Signer verify(Request request, Function<String, Optional<String>> secretOf, String service,
                         Predicate<String> regionOk) {
        String authorization = request.header("Authorization").orElse("");
        if (authorization.isBlank()) {
            throw new Rejected(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw incomplete("Authorization header requires the " + ALGORITHM + " algorithm.");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        Matcher m = PART.matcher(authorization.substring(ALGORITHM.length()));
        while (m.find()) {
            parts.putIfAbsent(m.group(1), m.group(2));
        }
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(required) || parts.get(required).isEmpty()) {
                throw incomplete("Authorization header requires '" + required + "' parameter. Authorization="
                        + authorization);
            }
        }
        String[] scope = parts.get("Credential").split("/", -1);
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + parts.get("Credential") + "'");
        }
        Signer signer = new Signer(scope[0], scope[1], scope[2], scope[3]);
        String amzDate = request.header("X-Amz-Date").orElseThrow(() -> incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization="
                        + authorization));
        List<String> signedHeaders = Arrays.asList(parts.get("SignedHeaders").split(";"));
        if (!signedHeaders.contains("host")) {
            throw incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        // An unknown key is refused before the signature is looked at: AWS has nothing to check it with.
        String secret = secretOf.apply(signer.accessKeyId()).orElseThrow(() -> new Rejected(403,
                "InvalidClientTokenId", "The security token included in the request is invalid."));
        if (!amzDate.startsWith(signer.date()) || amzDate.length() != 16) {
            throw mismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + signer.date() + "' != '" + amzDate.substring(0, Math.min(8, amzDate.length())) + "', from '"
                    + amzDate + "'.");
        }
        if (!REGION.matcher(signer.region()).matches() || !regionOk.test(signer.region())) {
            throw mismatch("Credential should be scoped to a valid region, not '" + signer.region() + "'. ");
        }
        if (!signer.service().equals(service)) {
            throw mismatch("Credential should be scoped to correct service: '" + service + "'. ");
        }
        String expected = signature(secret, signer, amzDate, canonicalRequest(request, signedHeaders));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts.get("Signature").getBytes(StandardCharsets.US_ASCII))) {
            throw mismatch("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return signer;
    }

    static String canonicalRequest(Request request, List<String> signedHeaders) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            String values = request.headerValues(name).stream().map(SigV4::trimAll).collect(Collectors.joining(","));
            headers.append(name).append(':').append(values).append('\n');
        }
        return request.method() + '\n'
                + canonicalPath(request.rawPath()) + '\n'
                + canonicalQuery(request.rawQuery()) + '\n'
                + headers + '\n'
                + String.join(";", signedHeaders) + '\n'
                + HEX.formatHex(sha256(request.body()));
    }

    static String signature(String secret, Signer signer, String amzDate, String canonicalRequest) {
        String scope = signer.date() + "/" + signer.region() + "/" + signer.service() + "/aws4_request";
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), signer.date());
        key = hmac(key, signer.region());
        key = hmac(key, signer.service());
        key = hmac(key, "aws4_request");
        return HEX.formatHex(hmac(key, stringToSign));
    }

    /**
     * Every service but S3 encodes each path segment twice: the path on the wire is already encoded
     * once, so encoding its segments again gives the canonical form.
     */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return Arrays.stream(rawPath.split("/", -1)).map(SigV4::encode).collect(Collectors.joining("/"));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            pairs.add(new String[] {encode(name), encode(value)});
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return pairs.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    /** RFC 3986 percent-encoding, keeping only the unreserved characters, with upper-case hex. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static String trimAll(String value) {
        return value.strip().replaceAll("\\s+", " ");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Rejected incomplete(String message) {
        return new Rejected(400, "IncompleteSignature", message);
    }

    private static Rejected mismatch(String message) {
        return new Rejected(403, "SignatureDoesNotMatch", message);
    }

}
