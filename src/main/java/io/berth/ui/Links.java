package io.berth.ui;

import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The web interface's URLs, built here and matched by the HTTP layer's route table from the same
 * prefixes. Repository names contain slashes, so the manifest page reads its path the way pull
 * references are written: {@code NAME:TAG} or {@code NAME@DIGEST} (neither character can occur in
 * a repository name).
 */
public final class Links {
    /** Every page but the home page, and the stylesheet, lie under this prefix. */
    public static final String PREFIX = "/ui/";
    /** The list of repositories, with {@code q} (search) and {@code last} (paging) parameters. */
    public static final String HOME = "/";
    /** Followed by a repository name: its tags, with a {@code last} parameter for paging. */
    public static final String REPOSITORIES = PREFIX + "repositories/";
    /** Followed by {@code NAME:TAG} or {@code NAME@DIGEST}: one manifest. */
    public static final String IMAGES = PREFIX + "images/";
    /** The sign-in form ({@code GET}) and sign-in ({@code POST}). */
    public static final String SIGN_IN = PREFIX + "sign-in";
    /** Sign-out ({@code POST}). */
    public static final String SIGN_OUT = PREFIX + "sign-out";
    /** The candidates with their gates' verdicts ({@code GET}), and promoting one ({@code POST}). */
    public static final String PROMOTIONS = PREFIX + "promotions";
    /** The promotion audit trail, with a {@code before} parameter for paging. */
    public static final String PROMOTION_HISTORY = PREFIX + "promotions/history";
    /** The mirrors and the CDN; for registry admins also where a client would be sent ({@code client}, {@code repository}, {@code digest}). */
    public static final String MIRRORS = PREFIX + "mirrors";
    /** The overview: storage per namespace, garbage collection, the version. */
    public static final String OVERVIEW = PREFIX + "overview";
    /** The stylesheet, the only file the pages load. */
    public static final String STYLESHEET = PREFIX + "static/berth.css";

    private Links() {
    }

    public static String repositories(Optional<String> query, Optional<String> after) {
        StringBuilder link = new StringBuilder(HOME);
        char separator = '?';
        if (query.isPresent()) {
            link.append(separator).append("q=").append(encode(query.get()));
            separator = '&';
        }
        if (after.isPresent()) {
            link.append(separator).append("last=").append(encode(after.get()));
        }
        return link.toString();
    }

    public static String repository(RepositoryName name) {
        return REPOSITORIES + name.value();
    }

    public static String repository(RepositoryName name, String afterTag) {
        return REPOSITORIES + name.value() + "?last=" + encode(afterTag);
    }

    public static String image(RepositoryName name, String tag) {
        return IMAGES + name.value() + ":" + tag;
    }

    public static String image(RepositoryName name, Digest digest) {
        return IMAGES + name.value() + "@" + digest;
    }

    public static String promotionHistory(long before) {
        return PROMOTION_HISTORY + "?before=" + before;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
