package dev.awsonboard.iam;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.awsonboard.config.Secret;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

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

    /**
     * Error-correction levels in the order they are tried. M survives a slightly blurred phone photo
     * of a screen and keeps modules large; Q and H are there for the codes ZXing's detector misses.
     */
    private static final List<ErrorCorrectionLevel> LEVELS =
            List.of(ErrorCorrectionLevel.M, ErrorCorrectionLevel.Q, ErrorCorrectionLevel.H);

    /**
     * A square PNG of {@code sizePx} pixels (quiet zone included) holding {@code otpauthUri}. ZXing's
     * finder-pattern detector, which many authenticator apps use, misses about 2% of codes however
     * crisp (data that happens to look like finder patterns), and each level is a different pattern:
     * the first level whose code the detector finds is used (the last resort: level M, still a valid code).
     */
    public static byte[] png(Secret otpauthUri, int sizePx) {
        Objects.requireNonNull(otpauthUri, "otpauthUri");
        if (sizePx <= 0) {
            throw new IllegalArgumentException("sizePx must be positive");
        }
        BitMatrix first = null;
        for (ErrorCorrectionLevel level : LEVELS) {
            BitMatrix matrix = matrix(otpauthUri, sizePx, level);
            if (first == null) {
                first = matrix;
            }
            if (detectable(matrix)) {
                return png(matrix);
            }
        }
        return png(first);
    }

    static BitMatrix matrix(Secret otpauthUri, int sizePx, ErrorCorrectionLevel level) {
        Map<EncodeHintType, Object> hints = Map.of(
                EncodeHintType.ERROR_CORRECTION, level,
                // 2 modules of quiet zone: enough for scanners, less wasted space than the default 4
                // (which ZXing's detector misses as often).
                EncodeHintType.MARGIN, 2,
                EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        try {
            return new QRCodeWriter().encode(otpauthUri.reveal(), BarcodeFormat.QR_CODE, sizePx, sizePx, hints);
        } catch (WriterException e) {
            throw new IllegalStateException("cannot encode the MFA setup QR code", e);
        }
    }

    /** Whether ZXing's QR reader finds and reads the code in {@code matrix} as a camera image (no pure-barcode shortcut). */
    static boolean detectable(BitMatrix matrix) {
        int width = matrix.getWidth();
        int height = matrix.getHeight();
        int[] pixels = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = matrix.get(x, y) ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        try {
            new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(width, height, pixels))),
                    Map.of(DecodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name()));
            return true;
        } catch (ReaderException e) {
            return false; // not found, or found and not read back: not a code to hand out either
        }
    }

    /**
     * A black-and-white PNG (1-bit greyscale, PNG specification sections 11.2 and 12) written
     * directly: ImageIO through ZXing's MatrixToImageWriter spent more time than the whole rest of
     * provisioning between two IAM calls, setting 160,000 pixels one by one, and pulled AWT into
     * the process (start-up time and memory) for one image per onboarding.
     */
    static byte[] png(BitMatrix matrix) {
        int width = matrix.getWidth();
        int height = matrix.getHeight();
        int rowBytes = (width + 7) / 8;
        byte[] raw = new byte[height * (rowBytes + 1)];
        for (int y = 0; y < height; y++) {
            int row = y * (rowBytes + 1); // raw[row] = 0: filter type None
            for (int x = 0; x < width; x++) {
                if (!matrix.get(x, y)) {
                    raw[row + 1 + x / 8] |= (byte) (0x80 >>> (x % 8)); // 1 is white
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 1; // bit depth
        header[9] = 0; // colour type: greyscale; compression, filter and interlace methods stay 0
        chunk(out, "IHDR", header);
        chunk(out, "IDAT", deflate(raw));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        out.writeBytes(length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(name);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        byte[] sum = new byte[4];
        putInt(sum, 0, (int) crc.getValue());
        out.writeBytes(sum);
    }

    private static void putInt(byte[] to, int at, int value) {
        to[at] = (byte) (value >>> 24);
        to[at + 1] = (byte) (value >>> 16);
        to[at + 2] = (byte) (value >>> 8);
        to[at + 3] = (byte) value;
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
