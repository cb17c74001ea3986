package dev.awsonboard.iam;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.awsonboard.config.Secret;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QrCodesTest {
    // A 64-character Base32 seed, the length IAM returns.
    private static final Secret SEED = Secret.of("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    @Test
    void uriHasTheLabelAndIssuerAwsPutsInItsOwnQrCode() {
        Secret uri = QrCodes.otpauthUri("123456789012", "alice", SEED);

        assertThat(uri.reveal()).isEqualTo("otpauth://totp/Amazon%20Web%20Services:alice@123456789012"
                + "?secret=" + SEED.reveal() + "&issuer=Amazon%20Web%20Services");
    }

    @Test
    void uriIsASecretBecauseItHoldsTheSeed() {
        Secret uri = QrCodes.otpauthUri("my-alias", "alice", SEED);

        assertThat(uri.toString()).isEqualTo(Secret.MASK);
    }

    @Test
    void userNameWithIamSpecialCharactersIsPercentEncodedAndDecodesBack() {
        String user = "a.b-c_d+e=f,g@h";

        String uri = QrCodes.otpauthUri("my-alias", user, SEED).reveal();

        // '+' must not be left bare: some apps read it as a space.
        assertThat(uri).startsWith("otpauth://totp/Amazon%20Web%20Services:a.b-c_d%2Be%3Df%2Cg%40h@my-alias?");
        URI parsed = URI.create(uri);
        assertThat(parsed.getScheme()).isEqualTo("otpauth");
        assertThat(parsed.getHost()).isEqualTo("totp");
        assertThat(parsed.getPath()).isEqualTo("/Amazon Web Services:" + user + "@my-alias");
        assertThat(parsed.getQuery()).isEqualTo("secret=" + SEED.reveal() + "&issuer=Amazon Web Services");
    }

    @Test
    void pngDecodesBackToTheSameUri() throws Exception {
        Secret uri = QrCodes.otpauthUri("123456789012", "alice", SEED);

        byte[] png = QrCodes.png(uri, 300);

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(300);
        assertThat(decode(png)).isEqualTo(uri.reveal());
    }

    @Test
    void pngOfAUserNameWithEveryIamSpecialCharacterRoundTrips() throws Exception {
        Secret uri = QrCodes.otpauthUri("corp-prod", "first.last+ops=1,x@example-co", SEED);

        String decoded = decode(QrCodes.png(uri, 256));

        assertThat(decoded).isEqualTo(uri.reveal());
        assertThat(URI.create(decoded).getPath()).isEqualTo("/Amazon Web Services:first.last+ops=1,x@example-co@corp-prod");
    }

    @Test
    void pngStartsWithThePngSignature() {
        byte[] png = QrCodes.png(QrCodes.otpauthUri("a", "b", SEED), 200);

        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    /** Seeds whose code at level M ZXing's detector does not find (found by search over random seeds). */
    @Test
    void aCodeZxingsDetectorMissesAtLevelMIsMadeAtAHigherLevelThatItFinds() throws Exception {
        for (String seed : List.of("LPNGJXD2WGN6BOBVX5MKBEAET7I2GAPR6T4WELU5ZJ5UQCRDHCQBYQURWBROODUJ",
                "LTABYRMVN6FMLMV2AX3GYNHN2CWQXT7PAFE3F22VLGQPCZHIBZ6EZVBBLOSWSPPV",
                "7IP3P3TKRMSHRYGDEDUIWKYYY3PYEAE3U5M5FJBQ3KLMFJ7U232FYZGM2S77XY5L")) {
            Secret uri = QrCodes.otpauthUri("123456789012", "alice", Secret.of(seed));
            assertThat(QrCodes.detectable(QrCodes.matrix(uri, 400, com.google.zxing.qrcode.decoder.ErrorCorrectionLevel.M)))
                    .as("level M is missed for " + seed).isFalse();

            assertThat(decode(QrCodes.png(uri, 400))).isEqualTo(uri.reveal());
        }
    }

    @Test
    void everyCodeOfThreeHundredRandomSeedsIsFoundByZxingsDetector() throws Exception {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for (int i = 0; i < 300; i++) {
            StringBuilder seed = new StringBuilder();
            for (int j = 0; j < 64; j++) {
                seed.append(alphabet.charAt(random.nextInt(32)));
            }
            Secret uri = QrCodes.otpauthUri("123456789012", "user" + i, Secret.of(seed.toString()));
            assertThat(decode(QrCodes.png(uri, 400))).as("seed " + i).isEqualTo(uri.reveal());
        }
    }

    @Test
    void nonPositiveSizeIsRejected() {
        Secret uri = QrCodes.otpauthUri("a", "b", SEED);

        assertThatThrownBy(() -> QrCodes.png(uri, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String decode(byte[] png) throws IOException, NotFoundException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        return new MultiFormatReader().decode(bitmap, Map.of(
                DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE),
                DecodeHintType.PURE_BARCODE, Boolean.FALSE)).getText();
    }
}
