package dev.ferry.controller.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Keeps the passwords of the catalog encrypted at rest: AES-256-GCM with a key the controller creates in its data
 * directory ({@value #KEY_FILE}, readable by its owner only). A password given as a value, and a connection URI
 * that carries one ({@code mongodb://user:password@host}), are stored sealed; references ({@code fromEnv},
 * {@code fromFile}) hold nothing secret and stay as they are. Copying the catalog without the key gives nobody
 * the passwords.
 */
final class SecretSeal {

    static final String KEY_FILE = "catalog.key";
    private static final String PREFIX = "ferry-sealed:v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern URI_WITH_PASSWORD = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*:[^/@]+@.*");

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretSeal(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The seal of {@code dataDirectory}, with its key created on first use. */
    static SecretSeal open(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                Files.write(createOwnerOnly(file), Base64.getEncoder().encode(fresh));
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: read theirs
            }
        }
        byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        if (key.length != 32) {
            throw new IllegalStateException(file + " is not a key ferry made (32 bytes, base64); restore it from "
                + "a backup, or remove it together with the catalog");
        }
        return new SecretSeal(key);
    }

    private static Path createOwnerOnly(Path file) throws IOException {
        try {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Path created = Files.createFile(file);
            created.toFile().setReadable(false, false);
            created.toFile().setReadable(true, true);
            return created;
        }
    }

    /** {@code tree} (a spec, or a status holding one) with every password value and password-bearing URI sealed. */
    JsonNode seal(JsonNode tree) {
        if (tree instanceof ObjectNode object) {
            if (isSecret(object) && object.get("value").isTextual() && !object.get("value").asText().isEmpty()) {
                object.put("value", seal(object.get("value").asText()));
            }
            if (object.get("uri") instanceof TextNode uri && URI_WITH_PASSWORD.matcher(uri.asText()).matches()) {
                object.put("uri", seal(uri.asText()));
            }
        }
        tree.forEach(this::seal);
        return tree;
    }

    /** {@code tree} with everything {@link #seal(JsonNode)} sealed opened again; plain values stay as they are. */
    JsonNode unseal(JsonNode tree) {
        if (tree instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual() && field.getValue().asText().startsWith(PREFIX)) {
                    field.setValue(TextNode.valueOf(unseal(field.getValue().asText())));
                } else {
                    unseal(field.getValue());
                }
            }
        } else {
            tree.forEach(this::unseal);
        }
        return tree;
    }

    /** A {@code common.Secret} as Jackson writes it. */
    private static boolean isSecret(ObjectNode node) {
        return node.has("value") && node.has("fromEnv") && node.has("fromFile");
    }

    private String seal(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has AES-GCM", e);
        }
    }

    private String unseal(String text) {
        byte[] in = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a password in the catalog cannot be opened with " + KEY_FILE + ": the "
                + "key is not the one it was sealed with; restore the key from a backup", e);
        }
    }
}
