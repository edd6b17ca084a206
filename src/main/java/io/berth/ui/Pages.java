package io.berth.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Renders the pages from the templates compiled at build time ({@code src/main/jte}); every value
 * a template writes is escaped for where it lands in the HTML. A page is rendered whole into
 * memory: each is bounded by its listing's page size.
 */
public final class Pages {
    private static final String STYLESHEET_RESOURCE = "static/berth.css";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
            Pages.class.getClassLoader(), "io.berth.ui.templates");
    private final byte[] stylesheet = resource(STYLESHEET_RESOURCE);

    public byte[] repositories(PageFrame frame, RepositoryListing page, boolean firstPage) {
        return render("repositories.jte", Map.of("frame", frame, "page", page, "firstPage", firstPage));
    }

    public byte[] repository(PageFrame frame, RepositoryTags page, boolean firstPage) {
        return render("repository.jte", Map.of("frame", frame, "page", page, "firstPage", firstPage));
    }

    public byte[] image(PageFrame frame, ImageDetails image) {
        return render("image.jte", Map.of("frame", frame, "image", image));
    }

    /** The sign-in form, with what went wrong the last time when something did. */
    public byte[] signIn(PageFrame frame, java.util.Optional<String> problem) {
        return render("sign-in.jte", Map.of("frame", frame, "problem", problem));
    }

    /** The candidates and their verdicts, each with a promote form when {@code canPromote}. */
    public byte[] promotions(PageFrame frame, java.util.List<PromotionCandidateView> candidates, boolean canPromote) {
        return render("promotions.jte", Map.of("frame", frame, "candidates", candidates, "canPromote", canPromote));
    }

    /** A page of the promotion audit trail; {@code nextBefore} leads to older entries. */
    public byte[] history(PageFrame frame, java.util.List<io.berth.metadata.StoredPromotion> promotions,
                          java.util.Optional<Long> nextBefore) {
        return render("history.jte", Map.of("frame", frame, "promotions", promotions, "nextBefore", nextBefore));
    }

    /** The mirrors and the CDN, with where a client would be sent when {@code choice} is present. */
    public byte[] mirrors(PageFrame frame, MirrorOverview overview, boolean canAskChoice, java.util.Optional<MirrorChoice> choice) {
        return render("mirrors.jte", Map.of("frame", frame, "overview", overview, "canAskChoice", canAskChoice, "choice", choice));
    }

    /** The overview: the version, and for registry admins the storage per namespace and garbage collection. */
    public byte[] overview(PageFrame frame, boolean admin, java.util.Optional<StorageSummary.Measured> storage, boolean measuring,
                           String gcStatus) {
        return render("overview.jte", Map.of("frame", frame, "admin", admin, "storage", storage, "measuring", measuring,
                "gcStatus", gcStatus));
    }

    /** A page that says what went wrong, in words for a person. */
    public byte[] error(PageFrame frame, String heading, String message) {
        return render("error.jte", Map.of("frame", frame, "heading", heading, "message", message));
    }

    /** The one stylesheet every page links ({@link Links#STYLESHEET}): shared, sent as it is, never changed. */
    public byte[] stylesheet() {
        return stylesheet;
    }

    private byte[] render(String template, Map<String, Object> parameters) {
        Utf8ByteOutput output = new Utf8ByteOutput();
        engine.render(template, parameters, output);
        return output.toByteArray();
    }

    private static byte[] resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the web interface's " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
