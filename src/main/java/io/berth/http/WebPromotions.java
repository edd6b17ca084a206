package io.berth.http;

import io.berth.auth.Action;
import io.berth.metadata.StoredPromotion;
import io.berth.mirror.ClientAddresses;
import io.berth.oci.ErrorCode;
import io.berth.oci.RegistryException;
import io.berth.oci.RepositoryName;
import io.berth.promotion.PromotionRefused;
import io.berth.promotion.PromotionRequest;
import io.berth.promotion.PromotionService;
import io.berth.registry.MaintenanceMode;
import io.berth.registry.Registry;
import io.berth.ui.Links;
import io.berth.ui.PageFrame;
import io.berth.ui.Pages;
import io.berth.ui.PromotionBoard;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The web interface's release-engineering pages ({@link WebPages} dispatches to them): the
 * candidates with their gates' verdicts, promoting one, and the promotion history.
 *
 * <p>Promoting needs a signed-in session that may promote somewhere before the form is read, then
 * the session's CSRF token in the form, then the same permission checks, gates and audit record as
 * {@code POST /berth/v1/promotions}; whatever the gates decide, the visitor is sent to the history.
 */
final class WebPromotions {
    private final PromotionBoard board;
    private final PromotionService promotions;
    private final PromotionResource resource;
    private final MaintenanceMode maintenance;
    private final Optional<AuthGate> gate;
    private final Optional<WebSession> sessions;
    private final ClientAddresses clients;
    private final Pages pages;

    WebPromotions(Registry registry, PromotionService promotions, PromotionResource resource, Optional<AuthGate> gate,
                  Optional<WebSession> sessions, ClientAddresses clients, Pages pages) {
        this.board = new PromotionBoard(registry, promotions);
        this.promotions = promotions;
        this.resource = resource;
        this.maintenance = registry.maintenance();
        this.gate = gate;
        this.sessions = sessions;
        this.clients = clients;
        this.pages = pages;
    }

    /** The candidates, each with a promote form when the visitor is signed in and may promote it. */
    byte[] candidates(PageFrame frame, WebVisitor visitor) {
        boolean canPromote = visitor.bySession() && gate.isPresent();
        Predicate<RepositoryName> mayPromote = name -> visitor.caller().isPresent() && gate.isPresent()
                && gate.get().allows(visitor.caller().get(), name.value(), Action.PROMOTE);
        return pages.promotions(frame, board.candidates(visitor.mayPull(gate), mayPromote, visitor.writer()), canPromote);
    }

    /** A page of the audit trail, older than the promotion id {@code before} when given. */
    byte[] history(PageFrame frame, WebVisitor visitor, Optional<String> before) {
        List<StoredPromotion> shown = board.history(visitor.mayPull(gate),
                before.map(WebPromotions::promotionId).orElse(OptionalLong.empty()));
        Optional<Long> next = shown.size() < PromotionBoard.HISTORY_PAGE ? Optional.empty() : Optional.of(shown.getLast().id());
        return pages.history(frame, shown, next);
    }

    /**
     * Refuses, before the form is read, a visitor without a session or who may promote nowhere
     * ({@code 403 DENIED}, or the gate's refusal).
     */
    void authorizeBeforeForm(Exchange exchange, WebVisitor visitor) {
        if (gate.isEmpty() || !visitor.bySession()) {
            throw RegistryException.of(ErrorCode.DENIED, "promoting from the web interface needs a signed-in session");
        }
        gate.get().requireAllowedSomewhere(exchange, visitor.caller().orElseThrow(), Action.PROMOTE);
    }

    /**
     * Promotes as the API does, with the form's {@code source} and one {@code target}, and sends the
     * visitor to the history, whose newest entry is this attempt with every verdict.
     */
    void promote(Exchange exchange, WebVisitor visitor) {
        authorizeBeforeForm(exchange, visitor);
        UrlEncodedForm form = UrlEncodedForm.read(exchange, "the promotion form");
        sessions.orElseThrow().requireCsrfToken(exchange, form);
        if (maintenance.readOnly()) {
            throw RegistryException.of(ErrorCode.DENIED, RegistryHandler.READ_ONLY_MESSAGE);
        }
        AuthGate.Caller caller = visitor.caller().orElseThrow();
        PromotionRequest request;
        try {
            request = PromotionRequest.parse(form.first("source").orElse(""), List.of(form.first("target").orElse("")),
                    AuthGate.actor(caller)).withClientAddress(AdministrationEndpoints.clientAddress(exchange, clients));
        } catch (IllegalArgumentException e) {
            throw RegistryException.of(ErrorCode.DENIED, "not a promotion: " + e.getMessage());
        }
        resource.authorize(exchange, gate.orElseThrow(), caller, request);
        try {
            promotions.promote(request, visitor.writer());
        } catch (PromotionRefused refused) {
            // Audited with every verdict: the history shows it.
        }
        WebPages.redirect(exchange, Links.PROMOTION_HISTORY);
    }

    private static OptionalLong promotionId(String text) {
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw RegistryException.of(ErrorCode.NAME_UNKNOWN, "before must be a promotion id");
        }
    }
}
