package dev.awsonboard.fakes;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;

/**
 * A Query-protocol POST signed by the SDK's own SigV4 signer with whatever scope a test picks, for
 * requests the SDK clients would never send (an unknown action, a scope for the wrong service).
 */
public final class SignedQuery {
    /** Set by the HTTP client itself from the URI and body; the signed values are the same. */
    private static final Set<String> CLIENT_OWNED = Set.of("host", "content-length");

    private SignedQuery() {
    }

    public static HttpResponse<String> post(URI endpoint, String form, String accessKeyId, String secretAccessKey,
                                            String region, String service) throws IOException, InterruptedException {
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secretAccessKey))
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(form))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(form));
        signed.request().forEachHeader((name, values) -> {
            if (!CLIENT_OWNED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signed with the fake's default test credentials for IAM. */
    public static HttpResponse<String> iam(URI endpoint, String form) throws IOException, InterruptedException {
        return post(endpoint, form, FakeIam.ACCESS_KEY_ID, FakeIam.SECRET_ACCESS_KEY, "us-east-1", "iam");
    }
}
