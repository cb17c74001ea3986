package dev.awsonboard.iam;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.awsonboard.config.Secret;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The QR code an authenticator app scans to add the virtual MFA device. Rendered here from
 * the Base32 seed rather than taken from IAM's QRCodePNG, so the label is the one we choose
 * and the same code path works against any IAM endpoint.
 */
public final class QrCodes {
    /** The issuer AWS puts in its own QR codes, so the app shows the familiar entry. */
    public static final String ISSUER = "Amazon Web Services";

    private QrCodes() {
    }

    /**
     * The Key URI (Google Authenticator format) in the shape AWS uses:
     * {@code otpauth://totp/Amazon%20Web%20Services:<user>@<account>?secret=<seed>&issuer=Amazon%20Web%20Services}.
     * A Secret because it contains the seed.
     *
     * @param accountLabel account alias or 12-digit account id
     * @param userName     IAM user name; its {@code +=,.@} characters are percent-encoded
     */
    public static Secret otpauthUri(String accountLabel, String userName, Secret base32Seed) {
        Objects.requireNonNull(accountLabel, "accountLabel");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(base32Seed, "base32Seed");
        String issuer = encode(ISSUER);
        // The ':' after the issuer and the '@' between user and account are structure and
        // stay literal, as in AWS's code; everything inside the parts is encoded.
        return Secret.of("otpauth://totp/" + issuer + ":" + encode(userName) + "@" + encode(accountLabel)
                + "?secret=" + encode(base32Seed.reveal()) + "&issuer=" + issuer);
    }

    /** A square PNG of {@code sizePx} pixels (quiet zone included) holding {@code otpauthUri}. */
    public static byte[] png(Secret otpauthUri, int sizePx) {
        Objects.requireNonNull(otpauthUri, "otpauthUri");
        if (sizePx <= 0) {
            throw new IllegalArgumentException("sizePx must be positive");
        }
        Map<EncodeHintType, Object> hints = Map.of(
                // M survives a slightly blurred phone photo of a screen and keeps modules large.
                EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                // 2 modules of quiet zone: enough for scanners, less wasted space than the default 4.
                EncodeHintType.MARGIN, 2,
                EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        try {
            BitMatrix matrix = new QRCodeWriter().encode(otpauthUri.reveal(), BarcodeFormat.QR_CODE, sizePx, sizePx, hints);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MatrixToImageWriter.writeToStream(matrix, "PNG", out);
            return out.toByteArray();
        } catch (WriterException e) {
            throw new IllegalStateException("cannot encode the MFA setup QR code", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MFA setup QR code as PNG", e);
        }
    }

    /** RFC 3986 percent-encoding: only unreserved characters stay (URLEncoder would turn ' ' into '+'). */
    static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() * 3);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
