package dev.streamtune.deploy;

/**
 * A container image reference, {@code [registry[:port]/]path[:tag][@digest]}. Pinned means a digest, or a tag
 * other than {@code latest}: a reference without either silently follows whatever was pushed last.
 */
public record ImageRef(String repository, String tag, String digest) {

    public static ImageRef parse(String reference) {
        String rest = reference.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.indexOf(':', lastSlash + 1); // a colon before the last slash is a registry port
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageRef(rest, tag, digest);
    }

    public boolean isPinned() {
        if (repository.contains("$") || (tag != null && tag.contains("$"))) {
            return false; // a variable can be anything, latest included
        }
        if (digest != null && !digest.isEmpty()) {
            return true;
        }
        return tag != null && !tag.isEmpty() && !tag.equals("latest");
    }

    @Override
    public String toString() {
        return repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
