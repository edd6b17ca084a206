package io.berth.http;

import io.berth.oci.ErrorCode;
import io.berth.oci.Limits;
import io.berth.oci.RegistryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.util.Fields;

/**
 * An {@code application/x-www-form-urlencoded} request body (the token endpoint's OAuth2 form, the
 * web interface's forms), parsed by Jetty within {@link Limits#MAX_TOKEN_FORM_BYTES} and
 * {@link Limits#MAX_TOKEN_FORM_FIELDS}: a declared length beyond the limit is 413 before anything is
 * read, anything else that is not such a form 400.
 */
record UrlEncodedForm(Map<String, List<String>> fields) {
    UrlEncodedForm {
        fields = Map.copyOf(fields);
    }

    /** @param what what the form is, for the error message ("a token request form") */
    static UrlEncodedForm read(Exchange exchange, String what) {
        if (exchange.contentLength().orElse(0) > Limits.MAX_TOKEN_FORM_BYTES) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 413,
                    what + " is limited to " + Limits.MAX_TOKEN_FORM_BYTES + " bytes");
        }
        Fields parsed;
        try {
            parsed = FormFields.getFields(exchange.request, Limits.MAX_TOKEN_FORM_FIELDS, Limits.MAX_TOKEN_FORM_BYTES);
        } catch (RuntimeException e) {
            throw RegistryException.withStatus(ErrorCode.UNSUPPORTED, 400, what + " must be a URL-encoded form"
                    + " of at most " + Limits.MAX_TOKEN_FORM_BYTES + " bytes");
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (Fields.Field field : parsed) {
            fields.put(field.getName(), List.copyOf(field.getValues()));
        }
        return new UrlEncodedForm(fields);
    }

    /** The first value of {@code name}, if the form has one. */
    Optional<String> first(String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of {@code name}, in the order sent. */
    List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }
}
